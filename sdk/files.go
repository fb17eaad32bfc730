package sdk

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"strings"
)

// This file builds the File of an extraction request in one expression: a
// PDF or an image (the caller's choice, or detected from the bytes), from a
// URL, bytes, a reader or a path on disk, with a bound on what is read.
// The types themselves are generated from openapi.yaml.

// DefaultMaxFileSize bounds what FromReader and FromPath read when their
// maxSize is 0: 20 MiB.
const DefaultMaxFileSize = 20 << 20

// FromURL is a file the service downloads from url.
func FromURL(url string) FileSourceURL { return FileSourceURL{Data: url} }

// FromBytes is a file sent in the request: b, base64-encoded.
func FromBytes(b []byte) FileSourceBase64 {
	return FileSourceBase64{Data: base64.StdEncoding.EncodeToString(b)}
}

// FromReader reads r to its end and returns it as a file sent in the
// request. More than maxSize bytes (DefaultMaxFileSize when maxSize is 0)
// is refused with an *ArgumentError, before anything is sent; reading stops
// one byte past the bound.
func FromReader(r io.Reader, maxSize int64) (FileSourceBase64, error) {
	b, err := readBounded(r, maxSize)
	if err != nil {
		return FileSourceBase64{}, err
	}
	return FromBytes(b), nil
}

// FromPath reads the file at path and returns it as a file sent in the
// request. A file larger than maxSize bytes (DefaultMaxFileSize when
// maxSize is 0) is refused with an *ArgumentError giving its size, before
// it is read.
func FromPath(path string, maxSize int64) (FileSourceBase64, error) {
	b, err := readPath(path, maxSize)
	if err != nil {
		return FileSourceBase64{}, err
	}
	return FromBytes(b), nil
}

// PDF is a PDF read from src: the pages given, numbered from 1, or all of
// them.
func PDF(src FileSource, pages ...int) FilePDF {
	if len(pages) == 0 {
		pages = nil // all pages: no "pages" member, not an empty list
	}
	return FilePDF{Source: src, Pages: pages}
}

// Image is an image read from src.
func Image(src FileSource) FileImage { return FileImage{Source: src} }

// DetectFile is a file sent in the request, a PDF or an image as its bytes
// say: a PDF starts with "%PDF-"; an image is what http.DetectContentType
// calls image/* (PNG, JPEG, GIF, WebP, BMP, ICO). Anything else is an
// *ArgumentError. pages choose the pages of a PDF; they are refused for an
// image.
func DetectFile(b []byte, pages ...int) (File, error) {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return PDF(FromBytes(b), pages...), nil
	case strings.HasPrefix(http.DetectContentType(b), "image/"):
		if len(pages) > 0 {
			return nil, &ArgumentError{Name: "pages", Problem: "are for a PDF; the file is an image"}
		}
		return Image(FromBytes(b)), nil
	}
	return nil, &ArgumentError{Name: "file", Problem: fmt.Sprintf("is neither a PDF nor an image (its bytes look like %s)", http.DetectContentType(b))}
}

// DetectFileAt reads the file at path, at most maxSize bytes
// (DefaultMaxFileSize when 0), and detects its kind as DetectFile does.
func DetectFileAt(path string, maxSize int64, pages ...int) (File, error) {
	b, err := readPath(path, maxSize)
	if err != nil {
		return nil, err
	}
	return DetectFile(b, pages...)
}

func fileLimit(maxSize int64) (int64, error) {
	switch {
	case maxSize < 0:
		return 0, &ArgumentError{Name: "maximum file size", Problem: "is negative"}
	case maxSize == 0:
		return DefaultMaxFileSize, nil
	}
	return maxSize, nil
}

// readBounded reads r to its end, refusing more than maxSize bytes.
func readBounded(r io.Reader, maxSize int64) ([]byte, error) {
	limit, err := fileLimit(maxSize)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, &ArgumentError{Name: "file reader", Problem: "is nil"}
	}
	probe := limit + 1 // one byte past the bound tells a reader that is over it
	if limit == math.MaxInt64 {
		probe = limit
	}
	b, err := io.ReadAll(io.LimitReader(r, probe))
	if err != nil {
		return nil, fmt.Errorf("intuned: reading the file: %w", err)
	}
	if int64(len(b)) > limit {
		return nil, &ArgumentError{Name: "file", Problem: fmt.Sprintf("is larger than %d bytes, the limit", limit)}
	}
	return b, nil
}

// readPath reads the file at path, refusing one larger than maxSize bytes
// before reading it.
func readPath(path string, maxSize int64) ([]byte, error) {
	limit, err := fileLimit(maxSize)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("intuned: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > limit {
		return nil, &ArgumentError{Name: "file " + path, Problem: fmt.Sprintf("is %d bytes; the limit is %d", st.Size(), limit)}
	}
	return readBounded(f, limit) // a file that grew, or is not regular, is still bounded
}
