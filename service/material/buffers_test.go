package material

import (
	"bytes"
	"context"
	"testing"

	"github.com/beian/beian/service/imaging/imagingtest"
)

// TestBuffersAreReusedSafely: with Buffers, Process returns what it returns without them, reuses
// a released buffer for the next upload, and a refused upload hands its buffer back too.
func TestBuffersAreReusedSafely(t *testing.T) {
	big := imagingtest.GradientPhoto(t, 640, 480)
	small := imagingtest.WithSegments(imagingtest.GradientPhoto(t, 64, 48), imagingtest.Segment(imagingtest.APP1, imagingtest.ExifAPP1(1, true)))
	bufs := NewBuffers()
	for i, data := range [][]byte{big, small, []byte("not an image"), big, small} {
		want, wantErr := Process(context.Background(), bytes.NewReader(data), Options{RequireColour: true})
		got, err := Process(context.Background(), bytes.NewReader(data), Options{RequireColour: true, Buffers: bufs})
		if (err == nil) != (wantErr == nil) || !bytes.Equal(got.Data, want.Data) || got.SHA256 != want.SHA256 {
			t.Fatalf("upload %d: %d bytes, %v; want %d bytes, %v", i, len(got.Data), err, len(want.Data), wantErr)
		}
		got.Release()
		if got.Data != nil {
			t.Fatal("Data kept after Release")
		}
		got.Release()
	}
}
