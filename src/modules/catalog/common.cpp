// What the three catalog APIs share: the lifecycle, versioned-entity attributes, characteristic
// checks.
#include <tmfd/date_time.hpp>
#include <tmfd/error.hpp>

#include "catalog_kinds.hpp"

namespace tmfd::catalog_module {

Lifecycle catalog_lifecycle() {
  // The TMF catalog lifecycle: design work moves forward (or back one step for rework), released
  // entities retire and become obsolete, and a rejected idea may be studied again.
  return Lifecycle{.field = "lifecycleStatus",
                   .initial = "In study",
                   .states = catalog::lifecycle_states(),
                   .transitions = {{"In study", "In design"},
                                   {"In study", "Rejected"},
                                   {"In design", "In test"},
                                   {"In design", "In study"},
                                   {"In design", "Rejected"},
                                   {"In test", "Active"},
                                   {"In test", "In design"},
                                   {"In test", "Rejected"},
                                   {"Active", "Launched"},
                                   {"Active", "Retired"},
                                   {"Launched", "Retired"},
                                   {"Retired", "Obsolete"},
                                   {"Rejected", "In study"}},
                   .aliases = {}};
}

std::vector<Attribute> entity_attributes(std::vector<Attribute> own) {
  for (auto a : {str("description"), date("lastUpdate"), str("lifecycleStatus"), str("name"), str("version"),
                 obj("validFor")})
    own.push_back(a);
  return own;
}

void check_valid_for(const json::object& entity) {
  auto* vf = entity.if_contains("validFor");
  if (!vf || !vf->is_object()) return;  // the engine checks it is an object
  for (const char* key : {"startDateTime", "endDateTime"}) {
    auto* v = vf->get_object().if_contains(key);
    if (v && !v->is_null() && !(v->is_string() && is_date_time(v->get_string())))
      throw ApiError::invalid_attribute(std::string("validFor.") + key, "must be a date-time string (RFC 3339)");
  }
}

void default_version(json::object& entity, const json::object* previous) {
  auto* v = entity.if_contains("version");
  if (v && !v->is_null()) return;
  // Every entity keeps a version: "1.0" when created without one, the last one when a patch
  // removes it.
  auto* before = previous ? previous->if_contains("version") : nullptr;
  entity["version"] = before ? *before : json::value("1.0");
}

CatalogKind catalog_entity(const EntityApi& api, const char* collection, const char* type,
                           std::vector<Attribute> attributes, std::vector<std::string> indexed, EventNames events,
                           std::vector<Reference> references, const char* characteristics) {
  indexed.insert(indexed.begin(), {"name", "lifecycleStatus"});
  ResourceHooks hooks;
  hooks.validate = [characteristics](json::object& e, const json::object* previous) {
    default_version(e, previous);
    check_valid_for(e);
    if (characteristics) check_characteristics(e, characteristics);
  };
  return CatalogKind{ResourceKind{.api = api.name,
                                  .base_path = api.base,
                                  .collection = collection,
                                  .type = type,
                                  .mandatory = {"name"},
                                  .attributes = entity_attributes(std::move(attributes)),
                                  .indexed = std::move(indexed),
                                  .lifecycle = catalog_lifecycle(),
                                  .events = std::move(events),
                                  .last_update_field = "lastUpdate"},
                     std::move(references), std::move(hooks)};
}

void check_characteristics(const json::object& entity, const char* attribute) {
  auto* list = entity.if_contains(attribute);
  if (!list || list->is_null()) return;
  if (!list->is_array()) throw ApiError::invalid_attribute(attribute, "must be an array");
  std::size_t i = 0;
  for (const auto& item : list->get_array()) {
    const std::string where = std::string(attribute) + "[" + std::to_string(i++) + "]";
    if (!item.is_object()) throw ApiError::invalid_attribute(where, "must be an object");
    const auto& c = item.get_object();
    auto* name = c.if_contains("name");
    if (!name || !name->is_string() || name->get_string().empty())
      throw ApiError::invalid_attribute(where + ".name", "is mandatory");
    std::int64_t min = 0, max = -1;
    for (const char* key : {"minCardinality", "maxCardinality"}) {
      auto* v = c.if_contains(key);
      if (!v) continue;
      if (!v->is_int64() || v->get_int64() < 0)
        throw ApiError::invalid_attribute(where + "." + key, "must be a non-negative integer");
      (std::string_view(key) == "minCardinality" ? min : max) = v->get_int64();
    }
    if (max >= 0 && min > max)
      throw ApiError::invalid_attribute(where, "has minCardinality greater than maxCardinality");
    for (const char* values : {"productSpecCharacteristicValue", "characteristicValueSpecification",
                               "resourceSpecCharacteristicValue"}) {
      auto* v = c.if_contains(values);
      if (v && !v->is_array()) throw ApiError::invalid_attribute(where + "." + values, "must be an array");
      if (v)
        for (const auto& value : v->get_array())
          if (!value.is_object()) throw ApiError::invalid_attribute(where + "." + values, "must hold objects");
    }
  }
}

} // namespace tmfd::catalog_module
