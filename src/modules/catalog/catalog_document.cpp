#include "catalog_document.hpp"

#include <tmfd/error.hpp>

#include "catalog_paths.hpp"

namespace tmfd::catalog {

namespace {

std::string path_of(std::string_view base, std::string_view collection) {
  return std::string(base) + "/" + std::string(collection);
}

struct DocumentCollection {
  const char* name;
  std::string_view base;
};

// Import order: what is referenced first. References inside one import are checked after every
// entry is written, so this order is for readability of errors, not a requirement.
const std::vector<DocumentCollection>& collections() {
  static const std::vector<DocumentCollection> c = {
      {"resourceSpecification", kResourceCatalogPath}, {"resourceCandidate", kResourceCatalogPath},
      {"resourceCategory", kResourceCatalogPath},      {"resourceCatalog", kResourceCatalogPath},
      {"serviceSpecification", kServiceCatalogPath},   {"serviceCandidate", kServiceCatalogPath},
      {"serviceCategory", kServiceCatalogPath},        {"serviceCatalog", kServiceCatalogPath},
      {"productSpecification", kProductCatalogPath},   {"productOfferingPrice", kProductCatalogPath},
      {"productOffering", kProductCatalogPath},        {"category", kProductCatalogPath},
      {"catalog", kProductCatalogPath},
  };
  return c;
}

} // namespace

const std::vector<std::string>& document_collection_paths() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> p;
    for (const auto& c : collections()) p.push_back(path_of(c.base, c.name));
    return p;
  }();
  return paths;
}

std::vector<ImportEntry> document_entries(const json::object& document) {
  for (const auto& kv : document) {
    bool known = false;
    for (const auto& c : collections()) known = known || kv.key() == c.name;
    if (!known && kv.key() != "@type" && kv.key() != "description")
      throw ApiError::bad_request("catalog document: unknown collection '" + std::string(kv.key()) + "'");
    if (known && !kv.value().is_array())
      throw ApiError::bad_request("catalog document: '" + std::string(kv.key()) + "' must be an array");
  }
  std::vector<ImportEntry> entries;
  for (const auto& c : collections()) {
    auto* list = document.if_contains(c.name);
    if (!list) continue;
    std::size_t index = 0;
    for (const auto& item : list->get_array()) {
      if (!item.is_object())
        throw ApiError::bad_request("catalog document: " + std::string(c.name) + "[" + std::to_string(index) +
                                    "] must be an object");
      entries.push_back({path_of(c.base, c.name), item.get_object()});
      ++index;
    }
  }
  return entries;
}

json::object export_document(Resources& resources) {
  json::object doc;
  for (const auto& c : collections()) {
    json::array items;
    // The server may cap pages below what is asked: advance by what came back, until the total.
    for (std::size_t offset = 0;;) {
      auto page = resources.list(path_of(c.base, c.name), "limit=1000&offset=" + std::to_string(offset));
      for (const auto& body : page.bodies) items.push_back(parse_value(body));
      offset += page.bodies.size();
      if (page.bodies.empty() || offset >= page.total) break;
    }
    if (!items.empty()) doc[c.name] = std::move(items);
  }
  return doc;
}

} // namespace tmfd::catalog
