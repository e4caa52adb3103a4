package api

import (
	"github.com/beian/beian/service/catalog"
	"github.com/beian/beian/service/filing"
)

type codeLabelDTO struct {
	Code  int    `json:"code"`
	Label string `json:"label"`
}

type bitLabelDTO struct {
	Bit   uint64 `json:"bit"`
	Label string `json:"label"`
}

type provinceDTO struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Abbr string `json:"abbr"`
}

type natureDTO struct {
	Code             int            `json:"code"`
	Label            string         `json:"label"`
	CertificateTypes []codeLabelDTO `json:"certificate_types"`
}

type serviceKindDTO struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// catalogDTO is every dictionary a filing form needs, with MIIT codes and Chinese labels.
type catalogDTO struct {
	Provinces        []provinceDTO    `json:"provinces"`
	Natures          []natureDTO      `json:"natures"`
	CertificateTypes []codeLabelDTO   `json:"certificate_types"`
	DocumentTypes    []codeLabelDTO   `json:"document_types"`
	ServiceKinds     []serviceKindDTO `json:"service_kinds"`
	ContentTypes     []bitLabelDTO    `json:"content_types"`
	Languages        []codeLabelDTO   `json:"languages"`
	AccessModes      []bitLabelDTO    `json:"access_modes"`
	PreApprovalTypes []codeLabelDTO   `json:"preapproval_types"`
}

type materialKindDTO struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Per    string `json:"per"`
	Colour bool   `json:"colour"`
	When   string `json:"when"`
}

// provinceRulesDTO is the part of a province's filing rules a form checks before submission.
type provinceRulesDTO struct {
	MigrationAllowed             bool `json:"migration_allowed"`
	PrincipalMustBeLegalRep      bool `json:"principal_must_be_legal_rep"`
	ForeignIndividualsRefused    bool `json:"foreign_individuals_refused"`
	NonLocalIndividualRefused    bool `json:"non_local_individual_refused"`
	AddressSameCityAsCertificate bool `json:"address_same_city_as_certificate"`
	MinIndividualAge             int  `json:"min_individual_age"`
	MinPrincipalAge              int  `json:"min_principal_age"`
	MaxDomainsPerOrder           int  `json:"max_domains_per_order"`
	MaxEnterpriseWebsites        int  `json:"max_enterprise_websites"`
}

type provinceCatalogDTO struct {
	Province      provinceDTO       `json:"province"`
	Rules         provinceRulesDTO  `json:"rules"`
	MaterialKinds []materialKindDTO `json:"material_kinds"`
}

func codeLabels[T any](list []T, f func(T) codeLabelDTO) []codeLabelDTO {
	out := make([]codeLabelDTO, len(list))
	for i, x := range list {
		out[i] = f(x)
	}
	return out
}

func certLabel(c catalog.CertificateType) codeLabelDTO { return codeLabelDTO{c.Code, c.Label} }

func toProvinceDTO(p catalog.Province) provinceDTO { return provinceDTO{p.Code, p.Name, p.Abbr} }

func buildCatalog() catalogDTO {
	var out catalogDTO
	for _, p := range catalog.Provinces() {
		out.Provinces = append(out.Provinces, toProvinceDTO(p))
	}
	for _, n := range catalog.Natures() {
		out.Natures = append(out.Natures, natureDTO{n.Code, n.Label, codeLabels(catalog.CertificateTypesFor(n.Code), certLabel)})
	}
	out.CertificateTypes = codeLabels(catalog.CertificateTypes(), certLabel)
	out.DocumentTypes = codeLabels(catalog.PersonDocTypes(), certLabel)
	out.ServiceKinds = []serviceKindDTO{{string(filing.KindWebsite), "网站"}, {string(filing.KindApp), "App"},
		{string(filing.KindMiniProgram), "小程序"}, {string(filing.KindQuickApp), "快应用"}}
	for _, c := range catalog.ContentTypes() {
		out.ContentTypes = append(out.ContentTypes, bitLabelDTO{c.Bit, c.Label})
	}
	out.Languages = codeLabels(catalog.Languages(), func(l catalog.Language) codeLabelDTO { return codeLabelDTO{l.Code, l.Label} })
	for _, m := range catalog.AccessModes() {
		out.AccessModes = append(out.AccessModes, bitLabelDTO{m.Bit, m.Label})
	}
	out.PreApprovalTypes = codeLabels(catalog.PreApprovalTypes(), func(p catalog.PreApprovalType) codeLabelDTO { return codeLabelDTO{p.Code, p.Label} })
	return out
}

func buildProvinceCatalog(p catalog.Province) provinceCatalogDTO {
	r := catalog.RulesFor(p.Code)
	out := provinceCatalogDTO{Province: toProvinceDTO(p), Rules: provinceRulesDTO{
		MigrationAllowed: r.MigrationAllowed, PrincipalMustBeLegalRep: r.PrincipalMustBeLegalRep,
		ForeignIndividualsRefused: r.ForeignIndividualsRefused, NonLocalIndividualRefused: r.NonLocalIndividualRefused,
		AddressSameCityAsCertificate: r.AddressSameCityAsCertificate,
		MinIndividualAge:             r.MinIndividualAge, MinPrincipalAge: r.MinPrincipalAge, MaxDomainsPerOrder: r.MaxDomainsPerOrder,
		MaxEnterpriseWebsites: r.MaxEnterpriseWebsites,
	}}
	for _, m := range filing.MaterialKindsFor(p.Code) {
		out.MaterialKinds = append(out.MaterialKinds, materialKindDTO{string(m.Kind), m.Label, m.Per, m.Colour, m.When})
	}
	return out
}
