package face

// The thresholds below were set on the test photos (TestCheck, TestCheckGroupPhotos): pigo's
// frontal portrait upscaled to 1080×1350 (which must pass), the negatives derived from it, and the
// 17 faces pigo finds among the 22 people of the six face-api group photos. "Measured" figures are
// from those runs.
const (
	// defaultMinFaceShare and defaultMaxFaceShare bound the face box's side over the photo's short
	// side. pigo's box spans ear to ear and hairline to below the mouth. The frontal portrait, a
	// typical head-and-shoulders framing, measures 0.73 at every resolution from 480 to 4000 px wide;
	// its copy shrunk to a fifth on a white page 0.16; cropped to the face's width 0.87.
	defaultMinFaceShare, defaultMaxFaceShare = 0.20, 0.85
	// minBackgroundShare is the least share of the work copy the background sample must cover; below
	// it too little background is visible to confirm it is plain (the portrait's sample covers 0.15).
	minBackgroundShare = 0.02
	// minPlainShare is the least share of background pixels that must be light and neutral (see
	// lightLuma, neutralChroma). Measured: the portrait 1.00; the group photos' rooms 0.00–0.58; the
	// portrait with a blue background 0.54; cropped to the face's width, with ears and hair in the
	// sample, 0.87 (that photo fails on maxBackgroundStd).
	minPlainShare = 0.85
	// maxBackgroundStd bounds the standard deviation of the background's luma, the "plain" test: a
	// wall has no texture. Measured: the portrait 3.7 (1.1 when darkened); rooms 36–84; the
	// face-width crop 67. A real wall with a soft shadow or light fall-off stays well under 28.
	maxBackgroundStd = 28
	// minFaceLuma and maxFaceLuma bound the mean luma of the inner face. Measured: the portrait 127;
	// the group photos' faces 71–163 (71 in shade); the portrait darkened to 50 % 63, to 30 % 37;
	// washed out towards white 218–231.
	minFaceLuma, maxFaceLuma = 55, 215
	// minSharpness is the least variance of the Laplacian of the face resampled to 128 px and
	// normalised to mid-grey exposure. Measured: the portrait 344 (355–390 from 480 to 4000 px
	// wide); group faces 21–281 (the lowest are 90 px faces, smaller than the size rule allows);
	// box blur of σ ≈ 1 % of the face box 25, σ ≈ 1.4 % (the BLURRED negative) 7.7–9.9.
	minSharpness = 15
	// minEyeRatio is the least ratio of the eye band's row-median Laplacian energy to the inner
	// face's. Eyes and brows are the most structured rows of a face: measured 1.10–3.74 on every
	// real face and blurred, darkened or washed-out portrait; a black bar over the eyes reads 0.00.
	minEyeRatio = 0.5
)

// judge applies the face-dependent rules to the measurements of the single face. A face too dark
// or too bright has lost the detail the blur and eye-band rules measure, so they are not judged.
func (c *Checker) judge(m metrics) []Reason {
	var reasons []Reason
	switch {
	case m.share < c.minShare:
		reasons = append(reasons, ReasonFaceTooSmall)
	case m.share > c.maxShare:
		reasons = append(reasons, ReasonFaceTooLarge)
	}
	bg := m.bg
	if bg.share < minBackgroundShare || bg.plain < minPlainShare || bg.std > maxBackgroundStd {
		reasons = append(reasons, ReasonBackgroundNotWhite)
	}
	switch {
	case m.faceLuma < minFaceLuma:
		return append(reasons, ReasonTooDark)
	case m.faceLuma > maxFaceLuma:
		return append(reasons, ReasonTooBright)
	}
	if m.sharpness < minSharpness {
		reasons = append(reasons, ReasonBlurred)
	}
	if m.eyeRatio < minEyeRatio {
		reasons = append(reasons, ReasonFaceOccluded)
	}
	return reasons
}
