#include "address_kinds.hpp"

#include <set>

#include <tmfd/error.hpp>
#include <tmfd/query.hpp>

namespace tmfd::geographic_address {

namespace {

Attribute str(const char* n) { return {n, AttributeType::String}; }

void complete_sub_addresses(json::object& address, const json::object* /*previous*/) {
  json::value* subs = address.if_contains("geographicSubAddress");
  if (!subs || !subs->is_array()) return;  // absent, or refused by the type check already
  const std::string address_id(address.at("id").as_string());
  std::set<std::string> used;
  for (std::size_t i = 0; i < subs->get_array().size(); ++i) {
    json::value& sub = subs->get_array()[i];
    const std::string where = "geographicSubAddress[" + std::to_string(i) + "]";
    if (!sub.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
    const json::value* id = sub.get_object().if_contains("id");
    if (!id) continue;
    if (!id->is_string() || id->get_string().empty()) throw ApiError::invalid_attribute(where + ".id", "must be a non-empty string");
    if (!used.insert(std::string(id->get_string())).second)
      throw ApiError::invalid_attribute(where + ".id", "repeats '" + std::string(id->get_string()) + "'");
  }
  // Sub-addresses without an id get the first free position number: ids are unique within their
  // address, whose id is part of their path.
  std::size_t next = 1;
  for (auto& sub : subs->get_array()) {
    auto& o = sub.get_object();
    if (!o.contains("id")) {
      while (used.count(std::to_string(next))) ++next;
      o["id"] = std::to_string(next);
      used.insert(std::to_string(next));
    }
    o["href"] = sub_address_href(address_id, std::string(o.at("id").as_string()));
    if (!o.contains("@type")) o["@type"] = "GeographicSubAddress";
  }
}

} // namespace

std::string sub_address_href(const std::string& address_id, const std::string& sub_address_id) {
  return kAddresses + "/" + percent_encode(address_id) + "/geographicSubAddress/" + percent_encode(sub_address_id);
}

ResourceKind address_kind() {
  return ResourceKind{
      .api = kApi,
      .base_path = kBasePath,
      .collection = "geographicAddress",
      .type = "GeographicAddress",
      .attributes = {str("city"), str("country"), str("locality"), str("name"), str("postcode"),
                     str("stateOrProvince"), str("streetName"), str("streetNr"), str("streetNrLast"),
                     str("streetNrLastSuffix"), str("streetNrSuffix"), str("streetSuffix"), str("streetType"),
                     {"geographicLocation", AttributeType::Object}, {"geographicSubAddress", AttributeType::Array}},
      .indexed = {"city", "postcode", "streetName", "country"},
      // TMF673 defines no event for addresses.
      .events = {},
      // Read-only over REST, as the spec defines it: the address book is loaded by the module.
      .operations = {.list = true, .get = true, .create = false, .patch = false, .remove = false},
  };
}

ResourceHooks address_hooks() {
  ResourceHooks hooks;
  hooks.validate = complete_sub_addresses;
  return hooks;
}

ResourceKind validation_kind() {
  return ResourceKind{
      .api = kApi,
      .base_path = kBasePath,
      .collection = "geographicAddressValidation",
      .type = "GeographicAddressValidation",
      .mandatory = {"submittedGeographicAddress", "provideAlternative"},
      .attributes = {{"provideAlternative", AttributeType::Boolean},
                     {"validationDate", AttributeType::DateTime},
                     str("validationResult"),
                     {"alternateGeographicAddress", AttributeType::Array},
                     str("state"),
                     {"submittedGeographicAddress", AttributeType::Object},
                     {"validGeographicAddress", AttributeType::Object}},
      // The request and the result the server computed are the record of the validation.
      .immutable = {"provideAlternative", "submittedGeographicAddress", "validationDate", "validationResult",
                    "alternateGeographicAddress", "validGeographicAddress"},
      .indexed = {"state", "validationResult"},
      // TaskStateType. The validation runs within the POST, so a task is stored finished: done or
      // terminatedWithError, from which nothing moves.
      .lifecycle = Lifecycle{.field = "state",
                             .initial = "inProgress",
                             .states = {"accepted", "inProgress", "done", "terminatedWithError"},
                             .transitions = {{"accepted", "inProgress"},
                                             {"accepted", "terminatedWithError"},
                                             {"inProgress", "done"},
                                             {"inProgress", "terminatedWithError"}},
                             .aliases = {}},
      // The only event TMF673 defines; written when the task reaches its final state.
      .events = {.state_change = "GeographicAddressValidationStateChangeEvent"},
      .operations = {.remove = false},
  };
}

} // namespace tmfd::geographic_address
