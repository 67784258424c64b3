#pragma once
// The catalog document used by importJob, exportJob and `tmfd import`: one JSON object whose keys
// are collection names of the three catalog APIs (e.g. "resourceSpecification",
// "productOffering"), each holding an array of resources.
#include <string>
#include <vector>

#include <tmfd/json.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::catalog {

// The document's entries, in an order where specifications precede what uses them. Throws
// ApiError 400 for an unknown key, a value that is not an array, or an item that is not an object.
std::vector<ImportEntry> document_entries(const json::object& document);

// The collections a catalog document may hold (full collection paths), in import order.
const std::vector<std::string>& document_collection_paths();

// Reads every resource of the three catalogs into a catalog document (exportJob).
json::object export_document(Resources& resources);

} // namespace tmfd::catalog
