// Package imaging is the one place uploaded images are read: it recognises a file's type from its
// bytes, reads an upload under a size limit, reads an image's header (size, colour model, EXIF
// orientation) without decoding pixels, prices the decode in real bytes per pixel and refuses an
// image over its limits before any pixel memory is spent, decodes, turns pixels upright by their
// EXIF orientation, strips metadata from JPEG and PNG files losslessly, and shares a Limiter that
// bounds how many decodes run at once and how much pixel memory they hold together.
//
// It uses the standard library only and holds no state of its own;
// the face check and the material upload both use it.
package imaging
