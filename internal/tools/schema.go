package tools

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// Struct tags read by Schema and Decode:
//
//	json:"name[,omitempty]"  the property name; without omitempty the property is required
//	description:"..."        what the model should put there
//	enum:"a,b,c"             the allowed string values
//	minimum:"0" maximum:"9"  bounds of a number
//	minItems:"1"             the least length of an array
//	default:"false"          the value used when the property is absent (documentation only)
//	format:"uri"             a JSON Schema format hint
//
// Supported field types: string, bool, integers, floats, pointers to those (an optional
// number whose absence differs from zero), slices, and nested structs.

// field describes one property of an input struct.
type field struct {
	index       int
	name        string
	required    bool
	description string
	enum        []string
	minimum     *float64
	maximum     *float64
	minItems    int
	def         string
	format      string
	typ         reflect.Type
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf returns the properties of a struct type.
func fieldsOf(t reflect.Type) ([]field, error) {
	if f, ok := fieldCache.Load(t); ok {
		return f.([]field), nil
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := field{
			index:       i,
			name:        name,
			required:    !strings.Contains(","+opts+",", ",omitempty,"),
			description: sf.Tag.Get("description"),
			def:         sf.Tag.Get("default"),
			format:      sf.Tag.Get("format"),
			typ:         sf.Type,
		}
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, ",")
		}
		for _, b := range []struct {
			tag string
			dst **float64
		}{{"minimum", &f.minimum}, {"maximum", &f.maximum}} {
			if v := sf.Tag.Get(b.tag); v != "" {
				n, err := strconv.ParseFloat(v, 64)
				if err != nil {
					return nil, fmt.Errorf("field %s: bad %s tag %q", sf.Name, b.tag, v)
				}
				*b.dst = &n
			}
		}
		if v := sf.Tag.Get("minItems"); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return nil, fmt.Errorf("field %s: bad minItems tag %q", sf.Name, v)
			}
			f.minItems = n
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs, nil
}

// Schema returns the JSON Schema of In, which must be a struct.
func Schema[In any]() (json.RawMessage, error) {
	t := reflect.TypeFor[In]()
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("input type %s is not a struct", t)
	}
	var buf bytes.Buffer
	if err := writeSchema(&buf, t, nil, true); err != nil {
		return nil, err
	}
	return json.RawMessage(buf.Bytes()), nil
}

// writeSchema writes the schema of t. f, when not nil, is the property t belongs to and
// contributes its annotations. Properties are written in field order, which is the order a
// reader (and the model) expects, so the schema is built by hand rather than from a map.
func writeSchema(buf *bytes.Buffer, t reflect.Type, f *field, top bool) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	buf.WriteByte('{')
	n := 0
	kv := func(k string, v any) {
		if n > 0 {
			buf.WriteByte(',')
		}
		n++
		kb, _ := json.Marshal(k)
		buf.Write(kb)
		buf.WriteByte(':')
		if raw, ok := v.(json.RawMessage); ok {
			buf.Write(raw)
			return
		}
		vb, _ := json.Marshal(v)
		buf.Write(vb)
	}
	switch t.Kind() {
	case reflect.String:
		kv("type", "string")
	case reflect.Bool:
		kv("type", "boolean")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		kv("type", "integer")
	case reflect.Float32, reflect.Float64:
		kv("type", "number")
	case reflect.Slice:
		kv("type", "array")
		var items bytes.Buffer
		if err := writeSchema(&items, t.Elem(), nil, false); err != nil {
			return err
		}
		kv("items", json.RawMessage(items.Bytes()))
	case reflect.Struct:
		// Annotations of the property come first, then the object's own keywords.
	default:
		return fmt.Errorf("unsupported type %s", t)
	}
	if f != nil {
		if f.description != "" {
			kv("description", f.description)
		}
		if len(f.enum) > 0 {
			kv("enum", f.enum)
		}
		if f.minimum != nil {
			kv("minimum", *f.minimum)
		}
		if f.maximum != nil {
			kv("maximum", *f.maximum)
		}
		if f.minItems > 0 {
			kv("minItems", f.minItems)
		}
		if f.format != "" {
			kv("format", f.format)
		}
		if f.def != "" {
			var v any
			if json.Unmarshal([]byte(f.def), &v) != nil {
				v = f.def
			}
			kv("default", v)
		}
	}
	if t.Kind() == reflect.Struct {
		fs, err := fieldsOf(t)
		if err != nil {
			return err
		}
		kv("type", "object")
		var props bytes.Buffer
		props.WriteByte('{')
		var required []string
		for i := range fs {
			if i > 0 {
				props.WriteByte(',')
			}
			kb, _ := json.Marshal(fs[i].name)
			props.Write(kb)
			props.WriteByte(':')
			if err := writeSchema(&props, fs[i].typ, &fs[i], false); err != nil {
				return fmt.Errorf("%s: %w", fs[i].name, err)
			}
			if fs[i].required {
				required = append(required, fs[i].name)
			}
		}
		props.WriteByte('}')
		kv("properties", json.RawMessage(props.Bytes()))
		if len(required) > 0 {
			kv("required", required)
		}
		// The model should not invent fields; Decode ignores them anyway.
		kv("additionalProperties", false)
		if top {
			kv("$schema", "http://json-schema.org/draft-07/schema#")
		}
	}
	buf.WriteByte('}')
	return nil
}
