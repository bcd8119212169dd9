package tools

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // decoder for image.Decode
	"image/jpeg"
	"image/png"
	"net/http"

	"ganban/internal/anthropic"
)

// imageExtensions are the image formats the Messages API accepts.
var imageExtensions = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true}

// Image limits of the API on Bedrock: 3.75 MB and 8000 pixels a side. A larger image is
// scaled down to imageTargetSide, the size beyond which the API scales images down anyway.
const (
	maxImageBytes   = 3_750_000
	maxImageSide    = 8000
	imageTargetSide = 1568
	maxDecodePixels = 100_000_000
	// maxImageFileBytes bounds what Read loads to scale down.
	maxImageFileBytes = 50 << 20
)

// imageBlock returns data as an image block, scaled down when the API would refuse it. note,
// when not empty, tells the model what was done to the image.
func imageBlock(data []byte) (anthropic.Block, string, error) {
	mediaType := http.DetectContentType(data)
	switch mediaType {
	case "image/png", "image/jpeg", "image/gif", "image/webp":
	default:
		return anthropic.Block{}, "", fmt.Errorf("the file is not a PNG, JPEG, GIF or WebP image (its content looks like %s)", mediaType)
	}
	cfg, _, cfgErr := image.DecodeConfig(bytes.NewReader(data))
	tooBig := len(data) > maxImageBytes || (cfgErr == nil && max(cfg.Width, cfg.Height) > maxImageSide)
	note := ""
	if tooBig {
		if mediaType == "image/webp" {
			return anthropic.Block{}, "", fmt.Errorf("the WebP image is too large (%d bytes; the limit is %d) and cannot be scaled here; convert or shrink it with a command first", len(data), maxImageBytes)
		}
		// Decoding allocates width*height pixels: refuse what would not fit in memory.
		if cfgErr != nil || cfg.Width*cfg.Height > maxDecodePixels {
			return anthropic.Block{}, "", fmt.Errorf("the image is too large to send (%d bytes) and too large to scale down here; shrink it with a command first", len(data))
		}
		img, _, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			return anthropic.Block{}, "", fmt.Errorf("decode: %w", err)
		}
		small := downscale(img, imageTargetSide)
		var buf bytes.Buffer
		if opaque(small) {
			err, mediaType = jpeg.Encode(&buf, small, &jpeg.Options{Quality: 85}), "image/jpeg"
		} else {
			err, mediaType = png.Encode(&buf, small), "image/png"
		}
		if err != nil {
			return anthropic.Block{}, "", fmt.Errorf("encode: %w", err)
		}
		b := img.Bounds()
		note = fmt.Sprintf("(The image was %dx%d pixels, %d bytes; it was scaled down to %dx%d to fit the API's limits.)",
			b.Dx(), b.Dy(), len(data), small.Bounds().Dx(), small.Bounds().Dy())
		data = buf.Bytes()
	}
	return anthropic.Block{Type: anthropic.BlockImage, Source: &anthropic.Source{
		Type: "base64", MediaType: mediaType, Data: base64.StdEncoding.EncodeToString(data),
	}}, note, nil
}

// downscale shrinks img so its longer side is at most side, averaging the source pixels that
// fall in each destination pixel (a box filter: plain, and free of aliasing when shrinking).
func downscale(img image.Image, side int) *image.NRGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	scale := float64(side) / float64(max(w, h))
	if scale > 1 {
		scale = 1
	}
	dw, dh := max(int(float64(w)*scale), 1), max(int(float64(h)*scale), 1)
	dst := image.NewNRGBA(image.Rect(0, 0, dw, dh))
	for dy := range dh {
		y0, y1 := b.Min.Y+dy*h/dh, b.Min.Y+max((dy+1)*h/dh, dy*h/dh+1)
		for dx := range dw {
			x0, x1 := b.Min.X+dx*w/dw, b.Min.X+max((dx+1)*w/dw, dx*w/dw+1)
			var r, g, bl, a, n uint64
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
					r += uint64(c.R)
					g += uint64(c.G)
					bl += uint64(c.B)
					a += uint64(c.A)
					n++
				}
			}
			dst.SetNRGBA(dx, dy, color.NRGBA{R: uint8(r / n), G: uint8(g / n), B: uint8(bl / n), A: uint8(a / n)})
		}
	}
	return dst
}

// opaque reports whether img has no transparent pixel, so JPEG loses nothing that matters.
func opaque(img *image.NRGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0xff {
			return false
		}
	}
	return true
}
