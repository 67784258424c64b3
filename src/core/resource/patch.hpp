#pragma once
// The two PATCH formats TMF630 asks for: JSON Merge Patch (RFC 7396, the default) and JSON
// Patch (RFC 6902, application/json-patch+json). Both work on an in-memory resource so the
// engine can validate the result (mandatory and immutable attributes, lifecycle rules) before
// anything is stored.
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <tmfd/json.hpp>

namespace tmfd::resource {

// RFC 7396 JSON Merge Patch: members of `patch` replace those of `target`, nested objects are
// merged recursively and a null member removes the key. Cannot fail.
void apply_merge_patch(json::object& target, const json::object& patch);
// Same, for a patch document not yet known to be an object: anything else is ApiError 400
// (RFC 7396 would replace the whole document, which a resource cannot be).
void apply_merge_patch(json::object& target, const json::value& patch);

// RFC 6902 JSON Patch (ops add, remove, replace, move, copy, test) with RFC 6901 pointers
// (~0 and ~1 escapes, "-" appends to an array). The patch is applied atomically: on any failure
// `target` is left unchanged and ApiError is thrown:
//   400 BAD_REQUEST        malformed patch document, malformed pointer, a path or from that does
//                          not exist, an operation that would leave the resource a non-object;
//   409 PATCH_TEST_FAILED  a test op whose target differs from its value, or does not exist;
//   413 RESOURCE_TOO_LARGE an operation that would grow the document past max_document_bytes
//                          (checked before the operation runs, on an approximate size).
// A document may hold at most kMaxJsonPatchOperations operations (400 beyond).
inline constexpr std::size_t kMaxJsonPatchOperations = 1000;
void apply_json_patch(json::object& target, const json::value& patch,
                      std::size_t max_document_bytes = std::numeric_limits<std::size_t>::max());

// The top-level attribute names a JSON Patch changes, in first-seen order without duplicates,
// so the caller can refuse changes to immutable attributes before applying it. These are the
// first segment (unescaped) of `path` for add, remove, replace, move and copy, and of `from` for
// move. The `path` of test and the `from` of copy are only read, so they are not listed (a
// client may well test "/id" first). An operation on the whole document (path "") yields "",
// which the caller must treat as touching every attribute. Throws ApiError 400 for a malformed
// patch document, exactly as apply_json_patch would.
std::vector<std::string> json_patch_top_level_targets(const json::value& patch);

} // namespace tmfd::resource
