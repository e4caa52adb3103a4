package filing

import (
	"time"

	"github.com/beian/beian/service/validate"
)

// Fixtures for the filing rule tests: hand-made subjects, services and people.

var testToday = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// testID builds a valid resident ID number for a region code and birth date.
func testID(region, birth, seq string) string {
	return validate.CompleteResidentID(region + birth + seq)
}

func testPerson(name, id, mobile string) Person {
	return Person{Name: name, DocType: 2, DocNumber: id, DocLongTerm: true, DocValidFrom: "2015-01-01",
		Mobile: mobile, EmergencyPhone: "020-12345678", Email: "p" + mobile + "@example.com"}
}

// enterprise is a complete enterprise subject in province, its principal the legal representative.
func enterprise(province string) SubjectInfo {
	return SubjectInfo{Nature: 4, NatureLabel: "企业", CertType: 1, CertNumber: "91440101MA5CJQ4N59", Name: "示例科技有限公司",
		Province: province, CertAddress: "示例路1号", ContactAddress: "示例路1号5楼", PrincipalIsLegalRep: true,
		Principal: testPerson("张三丰", testID("440106", "19800101", "123"), "13800138100")}
}

// individual is a complete individual subject filing in province with an ID issued in idRegion.
func individual(province, idRegion string) SubjectInfo {
	id := testID(idRegion, "19900515", "246")
	p := testPerson("王五", id, "13800138200")
	return SubjectInfo{Nature: 5, NatureLabel: "个人", CertType: 2, CertNumber: id, Name: "王五", Province: province,
		CertAddress: "示例路2号", ContactAddress: "示例路2号", Principal: p}
}

// website is a complete website whose principal is principal.
func website(id int64, domain string, principal Person) ServiceInfo {
	return ServiceInfo{ID: id, Kind: KindWebsite, Name: "示例网站" + domain[:1], Domains: []string{domain},
		HomeURL: "https://www." + domain, IPs: []string{"203.0.113.10"}, AccessMode: 16, ContentTypes: 128,
		Languages: []int{1}, Principal: principal}
}

func subjectOf(info SubjectInfo) *Subject {
	return &Subject{ID: 10, AccountID: 1, Status: RecordLive, Info: info}
}

func filedSvc(id int64, info ServiceInfo) FiledService {
	info.ID, info.FiledID = 0, 0
	return FiledService{ID: id, SubjectID: 10, AccountID: 1, Status: RecordLive, Info: info}
}

var otherPerson = testPerson("李四", testID("110105", "19900515", "246"), "13800138101")
