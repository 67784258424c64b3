// TMF667 Document v4: the document kind. The spec publishes no lifecycle diagram and leaves
// lifecycleState a free string, so any value is accepted and each change of it is announced as
// a state change. documentSpecification, relatedEntity, relatedParty and documentRelationship
// are kept as references (they are not checked: they may live in another system).
#include <tmfd/error.hpp>

#include "document_kinds.hpp"
#include "inline_content.hpp"

namespace tmfd::document {

namespace {

Attribute str(const char* n) { return {n, AttributeType::String}; }
Attribute arr(const char* n) { return {n, AttributeType::Array}; }
Attribute obj(const char* n) { return {n, AttributeType::Object}; }

bool blank(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return !v || v->is_null() || (v->is_string() && v->get_string().empty());
}

// Each attachment is given by reference (url, or id/href of an attachment held elsewhere) or by
// value (content, base64). Content is bounded by `limit` decoded bytes, and its size is recorded
// when the client did not give one.
void check_attachments(json::object& document, std::int64_t limit) {
  json::value* list = document.if_contains("binaryAttachment");
  if (!list || !list->is_array()) return;
  auto& entries = list->get_array();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const std::string where = "binaryAttachment[" + std::to_string(i) + "]";
    if (!entries[i].is_object()) throw ApiError::invalid_attribute(where, "must be an object");
    json::object& a = entries[i].get_object();
    for (const char* key : {"url", "content", "mimeType", "name", "id", "href"}) {
      const json::value* v = a.if_contains(key);
      if (v && !v->is_string()) throw ApiError::invalid_attribute(where + "." + key, "must be a string");
    }
    if (blank(a, "url") && blank(a, "content") && blank(a, "id") && blank(a, "href"))
      throw ApiError::invalid_attribute(where, "needs a reference (url, id or href) or its content (base64)");
    if (blank(a, "content")) continue;
    const auto size = base64_decoded_size(a.at("content").get_string());
    if (!size)
      throw ApiError::invalid_attribute(where + ".content",
                                        "is not base64 (RFC 4648: A-Z a-z 0-9 + /, '=' padding, no line breaks)");
    if (static_cast<std::int64_t>(*size) > limit)
      throw ApiError(413, "ATTACHMENT_TOO_LARGE", "Attachment too large",
                     where + ".content decodes to " + std::to_string(*size) + " bytes; inline content is limited to " +
                         std::to_string(limit) + " bytes (modules.document.max_inline_content_bytes): give larger "
                         "files by reference (url)");
    if (!a.contains("size")) a["size"] = json::object{{"amount", static_cast<std::int64_t>(*size)}, {"units", "bytes"}};
  }
}

} // namespace

ResourceKind document_kind() {
  return ResourceKind{
      .api = "document",
      .base_path = kBasePath,
      .collection = "document",
      .type = "Document",
      // The swagger marks nothing required; a document without a name cannot be found by a
      // person, so tmfd asks for one.
      .mandatory = {"name"},
      .attributes = {str("name"), str("description"), str("documentType"), str("lifecycleState"), str("version"),
                     arr("binaryAttachment"), arr("category"), arr("characteristic"), arr("documentRelationship"),
                     obj("documentSpecification"), obj("relatedEntity"), arr("relatedParty"), str("@baseType"),
                     str("@schemaLocation"), str("@type")},
      .indexed = {"name", "documentType", "lifecycleState", "version", "documentSpecification.id"},
      .lifecycle = Lifecycle{.field = "lifecycleState", .initial = "", .states = {}, .transitions = {}, .aliases = {}},
      .events = standard_events("Document"),
      .last_update_field = "lastUpdate",
      .created_field = "creationDate",
  };
}

ResourceHooks document_hooks(const Settings& settings) {
  ResourceHooks hooks;
  hooks.validate = [limit = settings.max_inline_content_bytes](json::object& document, const json::object*) {
    check_attachments(document, limit);
  };
  return hooks;
}

} // namespace tmfd::document
