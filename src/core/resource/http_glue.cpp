#include "resource/http_glue.hpp"

#include <algorithm>
#include <cctype>

#include <tmfd/error.hpp>
#include <tmfd/json.hpp>

namespace tmfd::resource {

namespace {

// The media type without parameters, lower-cased: "Application/JSON; charset=utf-8" -> "application/json".
std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  auto mt = content_type.substr(0, semi);
  while (!mt.empty() && std::isspace(static_cast<unsigned char>(mt.back()))) mt.remove_suffix(1);
  while (!mt.empty() && std::isspace(static_cast<unsigned char>(mt.front()))) mt.remove_prefix(1);
  std::string out(mt);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

// The charset parameter's value, lower-cased and unquoted; empty when there is none.
std::string charset_of(std::string_view content_type) {
  std::string lower(content_type);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (auto semi = lower.find(';'); semi != std::string::npos; semi = lower.find(';', semi + 1)) {
    auto param = std::string_view(lower).substr(semi + 1);
    param = param.substr(0, param.find(';'));
    while (!param.empty() && std::isspace(static_cast<unsigned char>(param.front()))) param.remove_prefix(1);
    if (!param.starts_with("charset")) continue;
    param.remove_prefix(7);
    while (!param.empty() && std::isspace(static_cast<unsigned char>(param.front()))) param.remove_prefix(1);
    if (param.empty() || param.front() != '=') continue;
    param.remove_prefix(1);
    while (!param.empty() && std::isspace(static_cast<unsigned char>(param.back()))) param.remove_suffix(1);
    while (!param.empty() && std::isspace(static_cast<unsigned char>(param.front()))) param.remove_prefix(1);
    if (param.size() >= 2 && param.front() == '"' && param.back() == '"') param = param.substr(1, param.size() - 2);
    return std::string(param);
  }
  return {};
}

// JSON is UTF-8 (RFC 8259 8.1); a body declared in another charset would be read wrongly.
void require_utf8(std::string_view content_type) {
  auto charset = charset_of(content_type);
  if (!charset.empty() && charset != "utf-8" && charset != "utf8")
    throw ApiError::unsupported_media_type("charset '" + charset + "' is not supported; JSON bodies are UTF-8");
}

std::string shown(std::string_view content_type) {
  return content_type.empty() ? "no Content-Type" : "Content-Type '" + std::string(content_type) + "'";
}

} // namespace

void require_json_content_type(std::string_view content_type) {
  if (media_type(content_type) != "application/json")
    throw ApiError::unsupported_media_type(shown(content_type) + " is not supported; send application/json");
  require_utf8(content_type);
}

void require_merge_patch_content_type(std::string_view content_type) {
  auto mt = media_type(content_type);
  if (mt != "application/merge-patch+json" && mt != "application/json")
    throw ApiError::unsupported_media_type(
        shown(content_type) +
        " is not supported; send application/merge-patch+json, application/json or "
        "application/json-patch+json");
  require_utf8(content_type);
}

bool is_json_patch(std::string_view content_type) {
  if (media_type(content_type) != "application/json-patch+json") return false;
  require_utf8(content_type);
  return true;
}

std::string etag(std::int64_t version) { return "\"" + std::to_string(version) + "\""; }

bool if_match_blank(std::string_view if_match) {
  return if_match.find_first_not_of(" \t") == std::string_view::npos;
}

bool if_match_allows(std::string_view if_match, std::int64_t version) {
  const std::string want = etag(version);
  std::size_t pos = 0;
  while (pos <= if_match.size()) {
    auto comma = if_match.find(',', pos);
    auto tag = if_match.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag == "*" || tag == want) return true;
    if (tag.size() > 2 && tag.substr(0, 2) == "W/" && tag.substr(2) == want) return true;
    if (comma == std::string_view::npos) break;
    pos = comma + 1;
  }
  return false;
}

http::Response to_response(WriteResult result) {
  http::Response resp;
  resp.status = result.status;
  if (result.status == 204) {
    resp.content_type.clear();
    return resp;
  }
  if (result.status == 200 || result.status == 201) {
    resp.headers.emplace_back("ETag", etag(result.version));
    if (result.status == 201) resp.headers.emplace_back("Location", std::move(result.location));
  }
  resp.body = std::move(result.body);
  return resp;
}

} // namespace tmfd::resource

namespace tmfd::http {

void require_json_content_type(std::string_view content_type) { resource::require_json_content_type(content_type); }

} // namespace tmfd::http
