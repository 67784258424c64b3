// TMF632 Party Management v4: individual and organization.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <optional>

#include <tmfd/error.hpp>

#include "party_kinds.hpp"

namespace tmfd::party {

namespace {

const char* kBasePath = "/tmf-api/party/v4";

// Milliseconds since the epoch of an RFC 3339 date-time (already checked by the engine), or
// nullopt. Offsets are applied, so "+02:00" and "Z" spellings compare correctly.
std::optional<std::int64_t> epoch_ms(std::string_view s) {
  std::tm tm{};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (std::sscanf(std::string(s.substr(0, 19)).c_str(), "%4d-%2d-%2d%*c%2d:%2d:%2d", &year, &month, &day, &hour,
                  &minute, &second) != 6)
    return std::nullopt;
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    std::int64_t scale = 100;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i, scale /= 10)
      ms += (s[i] - '0') * scale;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-') && i + 6 <= s.size()) {
    int oh = std::atoi(std::string(s.substr(i + 1, 2)).c_str()), om = std::atoi(std::string(s.substr(i + 4, 2)).c_str());
    std::int64_t offset = (oh * 60 + om) * 60000;
    ms += s[i] == '+' ? -offset : offset;
  }
  return ms;
}

// A person cannot die before being born.
void check_birth_and_death(json::object& individual, const json::object*) {
  auto* birth = individual.if_contains("birthDate");
  auto* death = individual.if_contains("deathDate");
  if (!birth || !death || !birth->is_string() || !death->is_string()) return;
  auto b = epoch_ms(birth->get_string()), d = epoch_ms(death->get_string());
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
