package face

// Reason is the code of one rule a photo failed. Codes are stable: the API returns them to the app,
// which may show Message or its own text.
type Reason string

// The reasons a photo can fail, in the order the rules run.
const (
	ReasonImageInvalid       Reason = "IMAGE_INVALID"        // not a JPEG or PNG, unreadable, or beyond the size limits
	ReasonImageTooSmall      Reason = "IMAGE_TOO_SMALL"      // short side under 480 pixels
	ReasonNoFace             Reason = "NO_FACE"              // no face found
	ReasonMultipleFaces      Reason = "MULTIPLE_FACES"       // more than one face found
	ReasonFaceTooSmall       Reason = "FACE_TOO_SMALL"       // face under the minimum share of the short side
	ReasonFaceTooLarge       Reason = "FACE_TOO_LARGE"       // face over the maximum share of the short side
	ReasonBackgroundNotWhite Reason = "BACKGROUND_NOT_WHITE" // background around the head not plain, light and neutral
	ReasonTooDark            Reason = "TOO_DARK"             // face underexposed
	ReasonTooBright          Reason = "TOO_BRIGHT"           // face overexposed
	ReasonBlurred            Reason = "BLURRED"              // face out of focus or shaken
	ReasonFaceOccluded       Reason = "FACE_OCCLUDED"        // eye region covered (glasses, hand, hair, a bar)
)

// Message returns a short Chinese instruction for the person taking the photo. An unknown reason
// gets a generic retry message, never an empty string.
func (r Reason) Message() string {
	switch r {
	case ReasonImageInvalid:
		return "无法识别该图片，请上传 JPG 或 PNG 格式的照片，尺寸不超过 10000 像素、4000 万像素。"
	case ReasonImageTooSmall:
		return "照片分辨率过低，请使用手机摄像头重新拍摄（短边不少于 480 像素）。"
	case ReasonNoFace:
		return "未检测到人脸，请正对镜头，露出完整面部后重新拍摄。"
	case ReasonMultipleFaces:
		return "检测到多张人脸，请确保画面中只有负责人本人。"
	case ReasonFaceTooSmall:
		return "人脸过小，请靠近镜头，使头肩部占据画面主要位置。"
	case ReasonFaceTooLarge:
		return "人脸过大或不完整，请与镜头保持适当距离，拍摄完整的头肩部。"
	case ReasonBackgroundNotWhite:
		return "背景不符合要求，请站在白色或浅色的纯色墙面前拍摄。"
	case ReasonTooDark:
		return "面部光线过暗，请在光线充足的地方拍摄。"
	case ReasonTooBright:
		return "面部曝光过度，请避免强光直射后重新拍摄。"
	case ReasonBlurred:
		return "照片模糊，请保持手机稳定并对焦后重新拍摄。"
	case ReasonFaceOccluded:
		return "面部被遮挡，请摘下帽子、眼镜、口罩，露出眉眼后重新拍摄。"
	}
	return "照片未通过检测，请按要求重新拍摄。"
}
