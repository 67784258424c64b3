#pragma once
// TMF667 Document v4: the document kind, its attachment rules and its PUT route.
#include <cstdint>
#include <string>

#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::document {

inline const std::string kBasePath = "/tmf-api/document/v4";
inline const std::string kDocuments = kBasePath + "/document";

// The module's settings (its YAML block).
struct Settings {
  // Largest inline attachment (binaryAttachment[].content), in decoded bytes; 0: none allowed.
  std::int64_t max_inline_content_bytes = 0;
};

ResourceKind document_kind();
ResourceHooks document_hooks(const Settings& settings);

// PUT {base}/document/{id}: replaces a document (TMF667 updateDocument).
void add_put_route(http::RouteRegistry& routes, Resources& resources);

} // namespace tmfd::document
