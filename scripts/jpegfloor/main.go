//go:build cgo && libjpeg

// Command jpegfloor measures the upload's image check against the fastest standard way to read every
// block of a JPEG: libjpeg-turbo's jpeg_read_coefficients, which decodes the entropy-coded data into
// coefficients and stops there (no inverse DCT, no colour conversion). A material upload must read
// every block to know that the file decodes, so this is the floor of its image check. Both run on
// the same photos in the same run, in interleaved pairs, one goroutine each; the ratio of medians is
// printed. It needs cgo and libjpeg-turbo's headers (Debian: libjpeg62-turbo-dev):
//
//	go run -tags libjpeg ./scripts/jpegfloor
package main

/*
#cgo LDFLAGS: -ljpeg
#include <stdio.h>
#include <stdlib.h>
#include <jpeglib.h>
#include <setjmp.h>

struct floor_error { struct jpeg_error_mgr mgr; jmp_buf jump; };

static void floor_error_exit(j_common_ptr c) { longjmp(((struct floor_error *)c->err)->jump, 1); }

// read_coefficients decodes every block of the JPEG in buf into coefficients, returning 0 on success.
static int read_coefficients(unsigned char *buf, unsigned long n) {
	struct jpeg_decompress_struct c;
	struct floor_error e;
	c.err = jpeg_std_error(&e.mgr);
	e.mgr.error_exit = floor_error_exit;
	if (setjmp(e.jump)) {
		jpeg_destroy_decompress(&c);
		return 1;
	}
	jpeg_create_decompress(&c);
	jpeg_mem_src(&c, buf, n);
	jpeg_read_header(&c, TRUE);
	if (jpeg_read_coefficients(&c) == NULL) {
		jpeg_destroy_decompress(&c);
		return 1;
	}
	jpeg_finish_decompress(&c);
	jpeg_destroy_decompress(&c);
	return 0;
}
*/
import "C"

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"os"
	"slices"
	"time"

	"github.com/beian/beian/service/imaging/imagingtest"
	"github.com/beian/beian/service/material"
)

func main() {
	rounds := flag.Int("n", 100, "files per measurement")
	pairs := flag.Int("pairs", 3, "interleaved pairs per photo")
	flag.Parse()
	if err := run(*rounds, *pairs); err != nil {
		fmt.Fprintln(os.Stderr, "jpegfloor:", err)
		os.Exit(1)
	}
}

func run(rounds, pairs int) error {
	photos := []struct {
		name string
		img  func() ([]byte, error)
	}{
		{"scripts/load's upload photo (1920×1080, quality 90)", func() ([]byte, error) { return encode(imagingtest.GradientImage(1920, 1080), 90) }},
		{"a busy photo (1920×1080, quality 92)", func() ([]byte, error) { return encode(imagingtest.PhotoImage(1920, 1080), 92) }},
	}
	fmt.Println("| photo | upload's image check (material.Process, colour required: read, strip, scan, SHA-256) | libjpeg-turbo jpeg_read_coefficients | ratio (median) | image/jpeg Decode |")
	fmt.Println("|---|---|---|---|---|")
	for _, p := range photos {
		data, err := p.img()
		if err != nil {
			return err
		}
		bufs := material.NewBuffers() // as the server reads uploads: into reused buffers
		check := func() error {
			p, err := material.Process(context.Background(), bytes.NewReader(data), material.Options{RequireColour: true, Buffers: bufs})
			p.Release()
			return err
		}
		cdata := C.CBytes(data) // copied once: the floor's timing has no copy in it
		floor := func() error {
			if C.read_coefficients((*C.uchar)(cdata), C.ulong(len(data))) != 0 {
				return errors.New("libjpeg refused the photo")
			}
			return nil
		}
		decode := func() error {
			_, err := jpeg.Decode(bytes.NewReader(data))
			return err
		}
		var ratios []float64
		var ours, theirs time.Duration
		for i := range pairs {
			first, second := check, floor
			if i%2 == 1 { // the floor first in every other pair
				first, second = floor, check
			}
			a, err := timeEach(rounds, first)
			if err != nil {
				return err
			}
			b, err := timeEach(rounds, second)
			if err != nil {
				return err
			}
			if i%2 == 1 {
				a, b = b, a
			}
			ratios = append(ratios, float64(a)/float64(b))
			ours, theirs = a, b
		}
		C.free(cdata)
		dec, err := timeEach(max(rounds/10, 1), decode)
		if err != nil {
			return err
		}
		slices.Sort(ratios)
		fmt.Printf("| %s | %v | %v | **%.2f** | %v |\n", p.name, ours.Round(time.Microsecond), theirs.Round(time.Microsecond),
			ratios[len(ratios)/2], dec.Round(time.Microsecond))
	}
	return nil
}

// timeEach runs fn n times and returns the time of one run.
func timeEach(n int, fn func() error) (time.Duration, error) {
	start := time.Now()
	for range n {
		if err := fn(); err != nil {
			return 0, err
		}
	}
	return time.Since(start) / time.Duration(n), nil
}

// encode encodes img as a JPEG of quality q.
func encode(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q})
	return buf.Bytes(), err
}
