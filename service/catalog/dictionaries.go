package catalog

// ContentType is one bit of the MIIT website content-type mask (网站内容类型).
type ContentType struct {
	Bit   uint64 // a single bit, e.g. 128
	Label string // e.g. "单位门户网站"
}

// contentTypes lists the content-type bits in ascending order. Bits 2^25 and 2^26 are unused.
var contentTypes = [...]ContentType{
	{1, "即时通信"}, {2, "搜索引擎"}, {4, "综合门户"}, {8, "网上邮局"}, {16, "网络新闻"},
	{32, "博客/个人空间"}, {64, "网络广告/信息"}, {128, "单位门户网站"}, {256, "网络购物"},
	{512, "网上支付"}, {1024, "网上银行"}, {2048, "网上炒股/股票基金"}, {4096, "网络游戏"},
	{8192, "网络音乐"}, {16384, "网络影视"}, {32768, "网络图片"}, {65536, "网络软件/下载"},
	{131072, "网上求职"}, {262144, "网上交友/婚介"}, {524288, "网上房产"}, {1048576, "网络教育"},
	{2097152, "网站建设"}, {4194304, "WAP"}, {8388608, "其他"}, {134217728, "APP"},
	{268435456, "网络借贷信息中介"}, {536870912, "互联网股权融资"}, {1073741824, "互联网保险"},
	{2147483648, "互联网跨界金融及资产管理"}, {4294967296, "网上非银支付"},
}

// ContentTypes returns every content type in bit order, as a fresh copy.
func ContentTypes() []ContentType {
	out := contentTypes
	return out[:]
}

// ContentTypeByBit returns the content type for a single bit.
func ContentTypeByBit(bit uint64) (ContentType, bool) {
	return find(contentTypes[:], func(c ContentType) bool { return c.Bit == bit })
}

// ContentTypesIn splits mask into its content types in bit order; ok is false when mask is zero
// or has a bit no content type defines.
func ContentTypesIn(mask uint64) (types []ContentType, ok bool) {
	for _, c := range contentTypes {
		if mask&c.Bit != 0 {
			types = append(types, c)
			mask &^= c.Bit
		}
	}
	return types, mask == 0 && len(types) > 0
}

// AccessMode is one bit of the MIIT access-mode mask (接入方式).
type AccessMode struct {
	Bit   uint64 // a single bit, e.g. 16
	Label string // e.g. "云接入"
}

var accessModes = [...]AccessMode{
	{1, "专线"}, {2, "主机托管"}, {4, "虚拟主机"}, {8, "其他"}, {16, "云接入"},
}

// AccessModeCloud is the access mode of services hosted on a cloud provider.
const AccessModeCloud = 16

// AccessModes returns every access mode in bit order, as a fresh copy.
func AccessModes() []AccessMode {
	out := accessModes
	return out[:]
}

// AccessModeByBit returns the access mode for a single bit.
func AccessModeByBit(bit uint64) (AccessMode, bool) {
	return find(accessModes[:], func(a AccessMode) bool { return a.Bit == bit })
}

// AccessModesIn splits mask into its access modes in bit order; ok is false when mask is zero or
// has a bit no access mode defines.
func AccessModesIn(mask uint64) (modes []AccessMode, ok bool) {
	for _, a := range accessModes {
		if mask&a.Bit != 0 {
			modes = append(modes, a)
			mask &^= a.Bit
		}
	}
	return modes, mask == 0 && len(modes) > 0
}

// Language is a MIIT website language code (网站语言).
type Language struct {
	Code  int    // e.g. 1
	Label string // e.g. "中文简体"
}

var languages = [...]Language{
	{1, "中文简体"}, {2, "中文繁体"}, {3, "维吾尔语"}, {4, "哈萨克语"}, {5, "柯尔克孜语"}, {6, "蒙古语"},
	{7, "藏语"}, {8, "壮语"}, {9, "朝鲜语"}, {10, "彝文"}, {11, "苗语"}, {12, "英语"}, {13, "日语"},
	{14, "法语"}, {15, "俄罗斯语"}, {16, "西班牙语"}, {17, "阿拉伯语"},
}

// Languages returns every language in code order, as a fresh copy.
func Languages() []Language {
	out := languages
	return out[:]
}

// LanguageByCode returns the language with MIIT code code.
func LanguageByCode(code int) (Language, bool) {
	return find(languages[:], func(l Language) bool { return l.Code == code })
}

// PreApprovalType is a MIIT pre-approval type (前置审批类型): content that needs a sector
// regulator's approval before filing.
type PreApprovalType struct {
	Code  int    // e.g. 1
	Label string // e.g. "新闻"
}

// preApprovalTypes holds the codes known so far. The MIIT list changes and this copy is
// incomplete (codes 7, 8 and 12 are missing), so an unknown code may still be a real one.
var preApprovalTypes = [...]PreApprovalType{
	{1, "新闻"}, {2, "出版"}, {3, "教育"}, {4, "医疗保健"}, {5, "药品和医疗器械"}, {6, "电子公告服务"},
	{9, "文化"}, {10, "广播电影电视节目"}, {11, "网络预约车"}, {13, "互联网金融"}, {14, "校外培训"},
}

// PreApprovalTypes returns the known pre-approval types in code order, as a fresh copy.
func PreApprovalTypes() []PreApprovalType {
	out := preApprovalTypes
	return out[:]
}

// PreApprovalByCode returns the pre-approval type with MIIT code code.
func PreApprovalByCode(code int) (PreApprovalType, bool) {
	return find(preApprovalTypes[:], func(p PreApprovalType) bool { return p.Code == code })
}
