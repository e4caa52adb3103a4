package catalog

// Province is a mainland province-level division that has a communications administration
// (通信管理局) accepting ICP filings.
type Province struct {
	Code string // GB/T 2260 two-digit prefix, e.g. "44"
	Name string // short Chinese name, e.g. "广东"
	Abbr string // one-character abbreviation used in filing numbers, e.g. "粤"
}

// provinces lists the 31 provinces in GB/T 2260 order. Hong Kong, Macao and Taiwan have no bureau
// for ICP filings and are absent.
var provinces = [...]Province{
	{"11", "北京", "京"}, {"12", "天津", "津"}, {"13", "河北", "冀"}, {"14", "山西", "晋"},
	{"15", "内蒙古", "蒙"}, {"21", "辽宁", "辽"}, {"22", "吉林", "吉"}, {"23", "黑龙江", "黑"},
	{"31", "上海", "沪"}, {"32", "江苏", "苏"}, {"33", "浙江", "浙"}, {"34", "安徽", "皖"},
	{"35", "福建", "闽"}, {"36", "江西", "赣"}, {"37", "山东", "鲁"}, {"41", "河南", "豫"},
	{"42", "湖北", "鄂"}, {"43", "湖南", "湘"}, {"44", "广东", "粤"}, {"45", "广西", "桂"},
	{"46", "海南", "琼"}, {"50", "重庆", "渝"}, {"51", "四川", "川"}, {"52", "贵州", "黔"},
	{"53", "云南", "滇"}, {"54", "西藏", "藏"}, {"61", "陕西", "陕"}, {"62", "甘肃", "甘"},
	{"63", "青海", "青"}, {"64", "宁夏", "宁"}, {"65", "新疆", "新"},
}

// Provinces returns the 31 provinces in code order. The slice is a fresh copy.
func Provinces() []Province {
	out := provinces
	return out[:]
}

// ProvinceByCode returns the province whose two-digit code is code.
func ProvinceByCode(code string) (Province, bool) {
	return find(provinces[:], func(p Province) bool { return p.Code == code })
}

// ProvinceByAbbr returns the province whose filing-number abbreviation is abbr, e.g. "粤".
func ProvinceByAbbr(abbr string) (Province, bool) {
	return find(provinces[:], func(p Province) bool { return p.Abbr == abbr })
}

// find returns the first element of list that matches, or the zero value and false.
func find[T any](list []T, match func(T) bool) (T, bool) {
	for _, v := range list {
		if match(v) {
			return v, true
		}
	}
	var zero T
	return zero, false
}
