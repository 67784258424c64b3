// TMF620 Product Catalog Management v4: catalog, category, productOffering,
// productOfferingPrice, productSpecification (importJob and exportJob are in jobs.cpp).
#include <tmfd/error.hpp>

#include "catalog_kinds.hpp"

namespace tmfd::catalog_module {

namespace {

const std::string kBase(catalog::kProductCatalogPath);
const std::string kService = std::string(catalog::kServiceCatalogPath) + "/serviceSpecification";
const std::string kResource = std::string(catalog::kResourceCatalogPath) + "/resourceSpecification";
std::string at(const char* collection) { return kBase + "/" + collection; }

// The TMF620 v4 spec defines no change events for catalogs, categories and product
// specifications: only creation and deletion are announced for them.
EventNames create_and_delete(const std::string& type) {
  return EventNames{.create = type + "CreateEvent", .remove = type + "DeleteEvent"};
}

CatalogKind entity(const char* collection, const char* type, std::vector<Attribute> attributes,
                   std::vector<std::string> indexed, EventNames events, std::vector<Reference> references,
                   const char* characteristics = nullptr) {
  static const EntityApi api{"productCatalog", kBase};
  return catalog_entity(api, collection, type, std::move(attributes), std::move(indexed), std::move(events),
                        std::move(references), characteristics);
}

} // namespace

std::vector<CatalogKind> product_catalog_kinds() {
  std::vector<CatalogKind> kinds;
  kinds.push_back(entity("productSpecification", "ProductSpecification",
                         {str("brand"), boolean("isBundle"), str("productNumber"), arr("attachment"),
                          arr("bundledProductSpecification"), arr("productSpecCharacteristic"),
                          arr("productSpecificationRelationship"), arr("relatedParty"), arr("resourceSpecification"),
                          arr("serviceSpecification"), obj("targetProductSchema")},
                         {"productNumber"}, create_and_delete("ProductSpecification"),
                         {{"serviceSpecification", kService},
                          {"resourceSpecification", kResource},
                          {"bundledProductSpecification", at("productSpecification")},
                          {"productSpecificationRelationship", at("productSpecification")}},
                         "productSpecCharacteristic"));
  kinds.push_back(entity("productOfferingPrice", "ProductOfferingPrice",
                         {boolean("isBundle"), number("percentage"), str("priceType"),
                          integer("recurringChargePeriodLength"), str("recurringChargePeriodType"),
                          arr("bundledPopRelationship"), arr("constraint"), arr("place"), arr("popRelationship"),
                          obj("price"), arr("pricingLogicAlgorithm"), arr("prodSpecCharValueUse"),
                          arr("productOfferingTerm"), arr("tax"), obj("unitOfMeasure")},
                         {"priceType"}, standard_events("ProductOfferingPrice"),
                         {{"popRelationship", at("productOfferingPrice")},
                          {"bundledPopRelationship", at("productOfferingPrice")}}));
  kinds.push_back(entity("productOffering", "ProductOffering",
                         {boolean("isBundle"), boolean("isSellable"), str("statusReason"), arr("agreement"),
                          arr("attachment"), arr("bundledProductOffering"), arr("category"), arr("channel"),
                          arr("marketSegment"), arr("place"), arr("prodSpecCharValueUse"), arr("productOfferingPrice"),
                          arr("productOfferingTerm"), obj("productSpecification"), obj("resourceCandidate"),
                          obj("serviceCandidate"), obj("serviceLevelAgreement")},
                         {"productSpecification.id"}, standard_events("ProductOffering"),
                         {{"productSpecification", at("productSpecification")},
                          {"bundledProductOffering", at("productOffering")},
                          {"productOfferingPrice", at("productOfferingPrice")},
                          {"category", at("category")}}));
  kinds.push_back(entity("category", "Category",
                         {boolean("isRoot"), str("parentId"), arr("productOffering"), arr("subCategory")},
                         {"parentId"}, create_and_delete("Category"),
                         {{"parentId", at("category"), true},
                          {"productOffering", at("productOffering")},
                          {"subCategory", at("category")}}));
  kinds.push_back(entity("catalog", "Catalog", {str("catalogType"), arr("category"), arr("relatedParty")}, {},
                         create_and_delete("Catalog"), {{"category", at("category")}}));
  // A bundle must say which offerings it bundles.
  auto& offering = kinds[2];
  auto base_validate = offering.hooks.validate;
  offering.hooks.validate = [base_validate](json::object& e, const json::object* previous) {
    base_validate(e, previous);
    auto* is_bundle = e.if_contains("isBundle");
    if (is_bundle && is_bundle->is_bool() && is_bundle->get_bool()) {
      auto* bundled = e.if_contains("bundledProductOffering");
      if (!bundled || !bundled->is_array() || bundled->get_array().empty())
        throw ApiError::invalid_attribute("bundledProductOffering", "must list the bundled offerings when isBundle is true");
    }
  };
  return kinds;
}

} // namespace tmfd::catalog_module
