package tools

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
)

// Decode fills the struct *dst from a JSON object, validating it against the struct tags
// described at Schema. The error text is meant for the model: it names the property and says
// what was expected ("offset must be an integer, got \"ten\"").
//
// Decoding is forgiving where the intent is unambiguous, because models sometimes quote
// scalars: "10" is accepted for a number and "true" for a boolean. Unknown properties are
// ignored. Decode never panics on any input.
func Decode(input json.RawMessage, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("internal error: decode target %T is not a pointer to a struct", dst)
	}
	input = bytes.TrimSpace(input)
	var v any
	if len(input) == 0 || string(input) == "null" {
		v = map[string]any{}
	} else {
		d := json.NewDecoder(bytes.NewReader(input))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return fmt.Errorf("input is not valid JSON: %v", err)
		}
	}
	if _, ok := v.(map[string]any); !ok {
		return fmt.Errorf("input must be a JSON object, got %s", jsonKind(v))
	}
	return decodeValue("", v, rv.Elem(), nil)
}

// decodeValue stores v in rv. path names the property for messages; f, when not nil, is its
// field description (bounds, enum).
func decodeValue(path string, v any, rv reflect.Value, f *field) error {
	name := path
	if name == "" {
		name = "input"
	}
	if rv.Kind() == reflect.Pointer {
		if v == nil {
			rv.Set(reflect.Zero(rv.Type()))
			return nil
		}
		p := reflect.New(rv.Type().Elem())
		if err := decodeValue(path, v, p.Elem(), f); err != nil {
			return err
		}
		rv.Set(p)
		return nil
	}
	switch rv.Kind() {
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%s must be a string, got %s", name, describe(v))
		}
		if f != nil && len(f.enum) > 0 && !contains(f.enum, s) {
			return fmt.Errorf("%s must be one of %s; got %q", name, quoteList(f.enum), s)
		}
		rv.SetString(s)
	case reflect.Bool:
		switch b := v.(type) {
		case bool:
			rv.SetBool(b)
		case string:
			switch strings.ToLower(strings.TrimSpace(b)) {
			case "true":
				rv.SetBool(true)
			case "false":
				rv.SetBool(false)
			default:
				return fmt.Errorf("%s must be a boolean (true or false), got %s", name, describe(v))
			}
		default:
			return fmt.Errorf("%s must be a boolean (true or false), got %s", name, describe(v))
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		n, err := number(v)
		if err != nil {
			return fmt.Errorf("%s must be a number, got %s", name, describe(v))
		}
		if f != nil && f.minimum != nil && n < *f.minimum {
			return fmt.Errorf("%s must be at least %s, got %s", name, fmtNum(*f.minimum), fmtNum(n))
		}
		if f != nil && f.maximum != nil && n > *f.maximum {
			return fmt.Errorf("%s must be at most %s, got %s", name, fmtNum(*f.maximum), fmtNum(n))
		}
		switch rv.Kind() {
		case reflect.Float32, reflect.Float64:
			rv.SetFloat(n)
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			if n != math.Trunc(n) {
				return fmt.Errorf("%s must be an integer, got %s", name, fmtNum(n))
			}
			if rv.OverflowInt(int64(n)) || n > math.MaxInt64 || n < math.MinInt64 {
				return fmt.Errorf("%s is out of range: %s", name, fmtNum(n))
			}
			rv.SetInt(int64(n))
		default:
			if n != math.Trunc(n) {
				return fmt.Errorf("%s must be an integer, got %s", name, fmtNum(n))
			}
			if n < 0 || n > math.MaxUint64 || rv.OverflowUint(uint64(n)) {
				return fmt.Errorf("%s is out of range: %s", name, fmtNum(n))
			}
			rv.SetUint(uint64(n))
		}
	case reflect.Slice:
		arr, ok := v.([]any)
		if !ok {
			// A model sometimes sends an array as a JSON string; accept it when it parses.
			if s, isStr := v.(string); isStr && strings.HasPrefix(strings.TrimSpace(s), "[") {
				d := json.NewDecoder(strings.NewReader(s))
				d.UseNumber()
				var parsed any
				if d.Decode(&parsed) == nil {
					arr, ok = parsed.([]any)
				}
			}
			if !ok {
				return fmt.Errorf("%s must be an array, got %s", name, describe(v))
			}
		}
		if f != nil && len(arr) < f.minItems {
			return fmt.Errorf("%s must have at least %d item(s), got %d", name, f.minItems, len(arr))
		}
		s := reflect.MakeSlice(rv.Type(), len(arr), len(arr))
		for i, item := range arr {
			if err := decodeValue(fmt.Sprintf("%s[%d]", name, i), item, s.Index(i), nil); err != nil {
				return err
			}
		}
		rv.Set(s)
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return fmt.Errorf("%s must be an object, got %s", name, describe(v))
		}
		fs, err := fieldsOf(rv.Type())
		if err != nil {
			return err
		}
		for i := range fs {
			fd := &fs[i]
			sub := fd.name
			if path != "" {
				sub = path + "." + fd.name
			}
			val, present := m[fd.name]
			if !present || val == nil {
				if fd.required {
					return fmt.Errorf("%s is required", sub)
				}
				continue
			}
			if err := decodeValue(sub, val, rv.Field(fd.index), fd); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("internal error: %s has unsupported type %s", name, rv.Type())
	}
	return nil
}

// number reads a JSON number, or a string holding one.
func number(v any) (float64, error) {
	switch n := v.(type) {
	case json.Number:
		return strconv.ParseFloat(string(n), 64)
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(n), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, errors.New("not a number")
		}
		return f, nil
	}
	return 0, errors.New("not a number")
}

func fmtNum(n float64) string { return strconv.FormatFloat(n, 'f', -1, 64) }

// describe shows a value the model sent, shortened.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		if len(x) > 40 {
			x = x[:40] + "..."
		}
		return fmt.Sprintf("string %q", x)
	case json.Number:
		return "number " + string(x)
	case bool:
		return fmt.Sprintf("boolean %t", x)
	}
	return jsonKind(v)
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}
