// TMF632 Party Management v4: individual and organization.
#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "party_kinds.hpp"

namespace tmfd::party {

namespace {

const char* kBasePath = "/tmf-api/party/v4";

// A person cannot die before being born.
void check_birth_and_death(json::object& individual, const json::object*) {
  auto* birth = individual.if_contains("birthDate");
  auto* death = individual.if_contains("deathDate");
  if (!birth || !death || !birth->is_string() || !death->is_string()) return;
  auto b = date_time_ms(birth->get_string()), d = date_time_ms(death->get_string());
  if (b && d && *d < *b) throw ApiError::invalid_attribute("deathDate", "is before birthDate");
}

const std::vector<Attribute> kPartyCommon = {
    arr("contactMedium"), arr("creditRating"), arr("externalReference"), arr("otherName"),
    arr("partyCharacteristic"), arr("relatedParty"), arr("taxExemptionCertificate"), str("status")};

std::vector<Attribute> with_common(std::vector<Attribute> own) {
  own.insert(own.end(), kPartyCommon.begin(), kPartyCommon.end());
  return own;
}

} // namespace

std::vector<KindWithHooks> party_kinds() {
  ResourceKind individual{
      .api = "party",
      .base_path = kBasePath,
      .collection = "individual",
      .type = "Individual",
      .mandatory = {"givenName", "familyName"},
      .attributes = with_common({str("aristocraticTitle"), date("birthDate"), str("countryOfBirth"),
                                 date("deathDate"), str("familyName"), str("familyNamePrefix"),
                                 str("formattedName"), str("fullName"), str("gender"), str("generation"),
                                 str("givenName"), str("legalName"), str("location"), str("maritalStatus"),
                                 str("middleName"), str("nationality"), str("placeOfBirth"),
                                 str("preferredGivenName"), str("title"), arr("disability"),
                                 arr("individualIdentification"), arr("languageAbility"), arr("skill")}),
      .indexed = {"familyName", "givenName", "status"},
      // The lifecycle of the published diagram. The spec's enum spells the last state
      // "deceaded"; it is accepted and stored as "deceased".
      .lifecycle = Lifecycle{.field = "status",
                             .initial = "initialized",
                             .states = {"initialized", "validated", "deceased"},
                             .transitions = {{"initialized", "validated"},
                                             {"initialized", "deceased"},
                                             {"validated", "deceased"}},
                             .aliases = {{"deceaded", "deceased"}}},
      .events = standard_events("Individual"),
  };
  ResourceKind organization{
      .api = "party",
      .base_path = kBasePath,
      .collection = "organization",
      .type = "Organization",
      .mandatory = {"tradingName"},
      .attributes = with_common({boolean("isHeadOffice"), boolean("isLegalEntity"), str("name"),
                                 str("nameType"), str("organizationType"), str("tradingName"),
                                 obj("existsDuring"), arr("organizationChildRelationship"),
                                 arr("organizationIdentification"), obj("organizationParentRelationship")}),
      .indexed = {"tradingName", "name", "status"},
      .lifecycle = Lifecycle{.field = "status",
                             .initial = "initialized",
                             .states = {"initialized", "validated", "closed"},
                             .transitions = {{"initialized", "validated"},
                                             {"initialized", "closed"},
                                             {"validated", "closed"}}},
      .events = standard_events("Organization"),
  };
  return {{std::move(individual), {.validate = check_birth_and_death}}, {std::move(organization), {}}};
}

} // namespace tmfd::party
