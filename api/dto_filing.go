package api

import (
	"github.com/beian/beian/service/filing"
	"github.com/beian/beian/service/kernel"
)

// personDTO is a responsible person. Responses mask the name, document number and phone numbers.
type personDTO struct {
	Name           string `json:"name"`
	DocType        int    `json:"doc_type"`
	DocNumber      string `json:"doc_number"`
	DocLongTerm    bool   `json:"doc_long_term"`
	DocValidFrom   string `json:"doc_valid_from"`
	DocValidTo     string `json:"doc_valid_to"`
	Mobile         string `json:"mobile"`
	EmergencyPhone string `json:"emergency_phone"`
	Email          string `json:"email"`
}

// subjectDTO is a subject's content (proposed or filed).
type subjectDTO struct {
	Nature              int       `json:"nature"`
	NatureLabel         string    `json:"nature_label"`
	CertType            int       `json:"cert_type"`
	CertNumber          string    `json:"cert_number"`
	Name                string    `json:"name"`
	Province            string    `json:"province"`
	CertAddress         string    `json:"cert_address"`
	ContactAddress      string    `json:"contact_address"`
	PrincipalIsLegalRep bool      `json:"principal_is_legal_rep"`
	Principal           personDTO `json:"principal"`
	FilingNumber        string    `json:"filing_number"`
}

// platformDTO is an App's feature data on one platform.
type platformDTO struct {
	Platform  string `json:"platform"`
	Package   string `json:"package"`
	PublicKey string `json:"public_key"`
	MD5       string `json:"md5"`
	SHA1      string `json:"sha1"`
}

// serviceDTO is an internet information service's content. ID identifies it within an order (0 or
// absent for a new one in a PATCH); FiledID is read-only.
type serviceDTO struct {
	ID           int64         `json:"id"`
	FiledID      int64         `json:"filed_id"`
	Kind         string        `json:"kind"`
	Name         string        `json:"name"`
	Domains      []string      `json:"domains"`
	HomeURL      string        `json:"home_url"`
	IPs          []string      `json:"ips"`
	AccessMode   uint64        `json:"access_mode"`
	Platforms    []platformDTO `json:"platforms"`
	PreApprovals []int         `json:"pre_approvals"`
	ContentTypes uint64        `json:"content_types"`
	Languages    []int         `json:"languages"`
	Principal    personDTO     `json:"principal"`
	FilingNumber string        `json:"filing_number"`
}

// proposalDTO is the editable part of an order; PATCH bodies are merge patches of it.
type proposalDTO struct {
	Subject    subjectDTO   `json:"subject"`
	Services   []serviceDTO `json:"services"`
	Agreements []string     `json:"agreements"`
}

// masker hides personal data in responses; the identity masker is used for merge patches.
type masker struct{ on bool }

func (m masker) id(s string) string {
	if m.on && s != "" {
		return kernel.MaskID(s)
	}
	return s
}

func (m masker) name(s string) string {
	if m.on && s != "" {
		return kernel.MaskName(s)
	}
	return s
}

func (m masker) phone(s string) string {
	if m.on && s != "" {
		return kernel.MaskPhone(s)
	}
	return s
}

func (m masker) email(s string) string {
	if m.on && s != "" {
		return kernel.MaskEmail(s)
	}
	return s
}

func toPersonDTO(p filing.Person, m masker) personDTO {
	return personDTO{Name: m.name(p.Name), DocType: p.DocType, DocNumber: m.id(p.DocNumber), DocLongTerm: p.DocLongTerm,
		DocValidFrom: p.DocValidFrom, DocValidTo: p.DocValidTo, Mobile: m.phone(p.Mobile),
		EmergencyPhone: m.phone(p.EmergencyPhone), Email: m.email(p.Email)}
}

func (d personDTO) toService() filing.Person {
	return filing.Person{Name: d.Name, DocType: d.DocType, DocNumber: d.DocNumber, DocLongTerm: d.DocLongTerm,
		DocValidFrom: d.DocValidFrom, DocValidTo: d.DocValidTo, Mobile: d.Mobile, EmergencyPhone: d.EmergencyPhone, Email: d.Email}
}

func toSubjectDTO(s filing.SubjectInfo, m masker) subjectDTO {
	name := s.Name
	if s.Individual() {
		name = m.name(name) // an individual subject's name is the person's
	}
	return subjectDTO{Nature: s.Nature, NatureLabel: s.NatureLabel, CertType: s.CertType, CertNumber: m.id(s.CertNumber),
		Name: name, Province: s.Province, CertAddress: s.CertAddress, ContactAddress: s.ContactAddress,
		PrincipalIsLegalRep: s.PrincipalIsLegalRep, Principal: toPersonDTO(s.Principal, m), FilingNumber: s.FilingNumber}
}

func (d subjectDTO) toService() filing.SubjectInfo {
	return filing.SubjectInfo{Nature: d.Nature, NatureLabel: d.NatureLabel, CertType: d.CertType, CertNumber: d.CertNumber,
		Name: d.Name, Province: d.Province, CertAddress: d.CertAddress, ContactAddress: d.ContactAddress,
		PrincipalIsLegalRep: d.PrincipalIsLegalRep, Principal: d.Principal.toService(), FilingNumber: d.FilingNumber}
}

func toServiceDTO(s filing.ServiceInfo, m masker) serviceDTO {
	platforms := make([]platformDTO, len(s.Platforms))
	for i, p := range s.Platforms {
		platforms[i] = platformDTO(p)
	}
	return serviceDTO{ID: s.ID, FiledID: s.FiledID, Kind: string(s.Kind), Name: s.Name, Domains: nonNil(s.Domains),
		HomeURL: s.HomeURL, IPs: nonNil(s.IPs), AccessMode: s.AccessMode, Platforms: platforms,
		PreApprovals: nonNil(s.PreApprovals), ContentTypes: s.ContentTypes, Languages: nonNil(s.Languages),
		Principal: toPersonDTO(s.Principal, m), FilingNumber: s.FilingNumber}
}

func (d serviceDTO) toService() filing.ServiceInfo {
	platforms := make([]filing.AppPlatform, len(d.Platforms))
	for i, p := range d.Platforms {
		platforms[i] = filing.AppPlatform(p)
	}
	return filing.ServiceInfo{ID: d.ID, FiledID: d.FiledID, Kind: filing.ServiceKind(d.Kind), Name: d.Name,
		Domains: d.Domains, HomeURL: d.HomeURL, IPs: d.IPs, AccessMode: d.AccessMode, Platforms: platforms,
		PreApprovals: d.PreApprovals, ContentTypes: d.ContentTypes, Languages: d.Languages,
		Principal: d.Principal.toService(), FilingNumber: d.FilingNumber}
}

func toProposalDTO(p filing.Proposal, m masker) proposalDTO {
	svcs := make([]serviceDTO, len(p.Services))
	for i, s := range p.Services {
		svcs[i] = toServiceDTO(s, m)
	}
	return proposalDTO{Subject: toSubjectDTO(p.Subject, m), Services: svcs, Agreements: nonNil(p.Agreements)}
}

// applyTo sets the proposal's editable parts from the DTO; ids and targets stay the service's business.
func (d proposalDTO) applyTo(p *filing.Proposal) {
	p.Subject = d.Subject.toService()
	p.Services = make([]filing.ServiceInfo, len(d.Services))
	for i, s := range d.Services {
		p.Services[i] = s.toService()
	}
	p.Agreements = d.Agreements
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
