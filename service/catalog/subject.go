package catalog

import "slices"

// Nature is a MIIT subject nature (主办单位性质): the kind of organisation or person filing.
type Nature struct {
	Code  int    // MIIT code, e.g. 4
	Label string // e.g. "企业"
}

// MIIT subject-nature codes that code refers to by name.
const (
	NatureDefence     = 1
	NatureGovernment  = 2
	NatureInstitution = 3
	NatureEnterprise  = 4
	NatureIndividual  = 5
	NatureSocialGroup = 6
)

// natures lists the MIIT subject natures in code order; codes 7 and 8 are unused.
var natures = [...]Nature{
	{1, "国防机构"}, {2, "政府机关"}, {3, "事业单位"}, {4, "企业"}, {5, "个人"}, {6, "社会团体"},
	{9, "民办非企业单位"}, {10, "基金会"}, {11, "律师执业机构"}, {12, "外国在华文化中心"},
	{13, "群众性团体组织"}, {14, "司法鉴定机构"}, {15, "宗教团体"}, {16, "境外机构"},
	{17, "医疗机构"}, {18, "公证机构"}, {19, "集体经济"}, {20, "仲裁机构"},
}

// Natures returns every subject nature in code order, as a fresh copy.
func Natures() []Nature {
	out := natures
	return out[:]
}

// NatureByCode returns the subject nature with MIIT code code.
func NatureByCode(code int) (Nature, bool) {
	return find(natures[:], func(n Nature) bool { return n.Code == code })
}

// CertificateType is a MIIT certificate type (证件类型) for a subject or a person. Several codes
// share a label: the organisation-code and credit-code certificates have one code per nature.
type CertificateType struct {
	Code  int    // MIIT code, e.g. 2
	Label string // e.g. "居民身份证"
}

// MIIT certificate-type codes that code refers to by name.
const (
	CertBusinessLicence          = 1  // 营业执照, carries the enterprise's USCC
	CertResidentID               = 2  // 居民身份证
	CertPassport                 = 7  // 护照
	CertUSCCGovernment           = 13 // 统一社会信用代码证书 of a government body
	CertUSCCInstitution          = 15 // 统一社会信用代码证书 of a public institution
	CertUSCCMassOrganisation     = 24 // 统一社会信用代码证书 of a mass organisation
	CertTaiwanTravelPermit       = 11 // 台湾居民来往大陆通行证
	CertHKMacaoTravelPermit      = 14 // 港澳居民来往内地通行证
	CertForeignPermanentResident = 30 // 外国人永久居留身份证
	CertHKMacaoResidencePermit   = 41 // 港澳居民居住证
	CertTaiwanResidencePermit    = 42 // 台湾居民居住证
)

// natureCertificates maps each nature to the certificate types it may file with. The mapping is
// inferred from two ordered provider lists; verify it against a live MIIT dictionary.
var natureCertificates = map[int][]int{
	1:  {5, 23},
	2:  {9, 13},
	3:  {3, 4, 15},
	4:  {1, 12, 27},
	5:  {2, 7, 11, 14, 30, 41, 42},
	6:  {6, 10},
	9:  {16, 17, 36, 37},
	10: {18, 19},
	11: {20, 21},
	12: {22, 34, 40},
	13: {24},
	14: {28},
	15: {25},
	16: {35},
	17: {38},
	18: {39},
	19: {43},
	20: {44},
}

// personDocCodes are the certificate types a natural person (a principal or an individual
// subject) may identify with.
var personDocCodes = [...]int{2, 7, 11, 14, 30, 41, 42}

// CertificateTypes returns every certificate type in code order, as a fresh copy.
func CertificateTypes() []CertificateType {
	out := certificateTypes
	return out[:]
}

// CertificateTypeByCode returns the certificate type with MIIT code code.
func CertificateTypeByCode(code int) (CertificateType, bool) {
	return find(certificateTypes[:], func(c CertificateType) bool { return c.Code == code })
}

// CertificateTypesFor returns the certificate types a subject of the given nature may file with,
// in code order; nil for an unknown nature.
func CertificateTypesFor(nature int) []CertificateType {
	return certificatesByCode(natureCertificates[nature])
}

// CertificateAllowed reports whether a subject of the given nature may file with certType.
func CertificateAllowed(nature, certType int) bool {
	return slices.Contains(natureCertificates[nature], certType)
}

// PersonDocTypes returns the certificate types that identify a natural person, in code order.
func PersonDocTypes() []CertificateType {
	return certificatesByCode(personDocCodes[:])
}

// certificatesByCode looks up each code; every code in the tables above is in certificateTypes.
func certificatesByCode(codes []int) []CertificateType {
	if len(codes) == 0 {
		return nil
	}
	out := make([]CertificateType, 0, len(codes))
	for _, c := range codes {
		if t, ok := CertificateTypeByCode(c); ok {
			out = append(out, t)
		}
	}
	return out
}
