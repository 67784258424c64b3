#pragma once
// How a submitted address is compared with the stored ones. Pure functions over JSON, so the
// rules read (and are tested) apart from the store.
//
// Each compared attribute is normalised first: case, spaces and punctuation do not count
// ("  Rue de la  Paix." = "rue de la paix"), postcodes ignore spaces ("SW1A 1AA" = "sw1a1aa") and
// common street type abbreviations are spelled out ("St" = "street", "Ave" = "avenue").
#include <optional>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::geographic_address {

// The GeographicAddress attributes that locate an address, in the order they are compared.
const std::vector<std::string>& compared_attributes();

// `value` of the attribute `attribute`, normalised for comparison.
std::string normalise(const std::string& attribute, std::string_view value);

enum class Verdict { success, partial, fails };
std::string to_string(Verdict v);  // the spec's values: "success", "partial", "fails"

struct Outcome {
  Verdict verdict = Verdict::fails;
  std::optional<json::object> valid;       // the stored address, on success
  std::vector<json::object> alternates;    // closest first, at most the limit asked for
};

// True when `submitted` names at least one of street name, locality, city or postcode: anything
// less cannot be looked up.
bool locatable(const json::object& submitted);

// Compares `submitted` with every stored address:
// - success: the submission names a street and a place (city, locality or postcode), and exactly
//   one stored address agrees with every compared attribute it gives;
// - partial: otherwise, when some stored address is close: it agrees on every attribute given
//   (but the submission is ambiguous or incomplete), or is on the same street in the same place
//   with another number, or has the same postcode;
// - fails: nothing close; alternates are then addresses of the same city or locality.
// Alternates (only when `max_alternates` > 0, never on success) are ranked by how many
// attributes agree, then by nearness of street number.
Outcome compare(const json::object& submitted, const std::vector<json::object>& stored, std::size_t max_alternates);

} // namespace tmfd::geographic_address
