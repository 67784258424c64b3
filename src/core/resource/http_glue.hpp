#pragma once
// Small pieces that turn engine results into HTTP: content-type rules, ETags, responses.
#include <cstdint>
#include <string>
#include <string_view>

#include <tmfd/http.hpp>
#include <tmfd/resources.hpp>

namespace tmfd::resource {

// Throws 415 unless the media type is application/json (parameters such as charset allowed).
void require_json_content_type(std::string_view content_type);
// Throws 415 unless application/merge-patch+json or application/json.
void require_merge_patch_content_type(std::string_view content_type);
bool is_json_patch(std::string_view content_type);

std::string etag(std::int64_t version);
// True when an If-Match header value (a list of tags, or *) matches the version.
bool if_match_allows(std::string_view if_match, std::int64_t version);
// True for an If-Match header with nothing but white space in it.
bool if_match_blank(std::string_view if_match);

// 201 carries Location; 200/201 carry ETag; 204 has no body.
http::Response to_response(WriteResult result);

} // namespace tmfd::resource
