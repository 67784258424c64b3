// TMF633 Service Catalog and TMF634 Resource Catalog v4. Both APIs announce every change with one
// <Type>ChangeEvent (no separate state-change event), which the engine sends for state changes
// too when a kind declares no state-change event.
#include "catalog_kinds.hpp"

namespace tmfd::catalog_module {

namespace {

EventNames change_events(const std::string& type) {
  return EventNames{.create = type + "CreateEvent", .attribute_value_change = type + "ChangeEvent",
                    .remove = type + "DeleteEvent"};
}

struct Api {
  std::string base;
  std::string name;  // event domain and metrics label
  std::string at(const char* collection) const { return base + "/" + collection; }

  CatalogKind entity(const char* collection, const char* type, std::vector<Attribute> attributes,
                     std::vector<std::string> indexed, std::vector<Reference> references,
                     const char* characteristics = nullptr) const {
    return catalog_entity(EntityApi{name, base}, collection, type, std::move(attributes), std::move(indexed),
                          change_events(type), std::move(references), characteristics);
  }
};

const Api kServiceApi{std::string(catalog::kServiceCatalogPath), "serviceCatalog"};
const Api kResourceApi{std::string(catalog::kResourceCatalogPath), "resourceCatalog"};

} // namespace

std::vector<CatalogKind> service_catalog_kinds() {
  const Api& a = kServiceApi;
  std::vector<CatalogKind> kinds;
  kinds.push_back(a.entity("serviceSpecification", "ServiceSpecification",
                           {boolean("isBundle"), arr("attachment"), arr("constraint"), arr("entitySpecRelationship"),
                            arr("featureSpecification"), arr("relatedParty"), arr("resourceSpecification"),
                            arr("serviceLevelSpecification"), arr("serviceSpecRelationship"), arr("specCharacteristic"),
                            obj("targetEntitySchema")},
                           {}, {{"serviceSpecRelationship", a.at("serviceSpecification")},
                                {"resourceSpecification", kResourceApi.at("resourceSpecification")}},
                           "specCharacteristic"));
  auto candidate = a.entity("serviceCandidate", "ServiceCandidate", {arr("category"), obj("serviceSpecification")},
                            {"serviceSpecification.id"},
                            {{"serviceSpecification", a.at("serviceSpecification")}, {"category", a.at("serviceCategory")}});
  candidate.kind.mandatory.push_back("serviceSpecification");  // TMF633 requires it on create
  kinds.push_back(std::move(candidate));
  kinds.push_back(a.entity("serviceCategory", "ServiceCategory",
                           {boolean("isRoot"), str("parentId"), arr("category"), arr("serviceCandidate")}, {"parentId"},
                           {{"parentId", a.at("serviceCategory"), true},
                            {"category", a.at("serviceCategory")},
                            {"serviceCandidate", a.at("serviceCandidate")}}));
  kinds.push_back(a.entity("serviceCatalog", "ServiceCatalog", {arr("category"), arr("relatedParty")}, {},
                           {{"category", a.at("serviceCategory")}}));
  return kinds;
}

std::vector<CatalogKind> resource_catalog_kinds() {
  const Api& a = kResourceApi;
  std::vector<CatalogKind> kinds;
  kinds.push_back(a.entity("resourceSpecification", "ResourceSpecification",
                           {str("category"), boolean("isBundle"), arr("attachment"), arr("featureSpecification"),
                            arr("relatedParty"), arr("resourceSpecCharacteristic"), arr("resourceSpecRelationship"),
                            obj("targetResourceSchema")},
                           {"category"}, {{"resourceSpecRelationship", a.at("resourceSpecification")}},
                           "resourceSpecCharacteristic"));
  kinds.push_back(a.entity("resourceCandidate", "ResourceCandidate", {arr("category"), obj("resourceSpecification")},
                           {"resourceSpecification.id"},
                           {{"resourceSpecification", a.at("resourceSpecification")},
                            {"category", a.at("resourceCategory")}}));
  kinds.push_back(a.entity("resourceCategory", "ResourceCategory",
                           {boolean("isRoot"), str("parentId"), arr("category"), arr("relatedParty"),
                            arr("resourceCandidate")},
                           {"parentId"},
                           {{"parentId", a.at("resourceCategory"), true},
                            {"category", a.at("resourceCategory")},
                            {"resourceCandidate", a.at("resourceCandidate")}}));
  kinds.push_back(a.entity("resourceCatalog", "ResourceCatalog", {arr("category"), arr("relatedParty")}, {},
                           {{"category", a.at("resourceCategory")}}));
  return kinds;
}

} // namespace tmfd::catalog_module
