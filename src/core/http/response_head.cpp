#include "http/response_head.hpp"

#include <ostream>  // before Boost: its string_view needs a complete std::ostream

#include <boost/beast/http/status.hpp>

namespace tmfd::http {

namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

} // namespace

void write_response_head(std::string& out, const Response& r, unsigned version, bool keep_alive,
                         std::size_t body_size) {
  out.clear();
  out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
  out += std::to_string(r.status);
  out += ' ';
  const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(r.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  append_field(out, "Server", "tmfd");
  if (!r.content_type.empty()) append_field(out, "Content-Type", r.content_type);
  for (std::size_t i = 0; i < r.headers.size(); ++i) {
    bool replaced = false;
    for (std::size_t j = i + 1; j < r.headers.size() && !replaced; ++j)
      replaced = header_name_equals(r.headers[i].first, r.headers[j].first);
    if (!replaced) append_field(out, r.headers[i].first, r.headers[i].second);
  }
  // No body, and so no length, for these (RFC 9110 8.6).
  const bool bodiless = r.status / 100 == 1 || r.status == 204 || r.status == 304;
  if (!bodiless) append_field(out, "Content-Length", std::to_string(body_size));
  if (version == 10 && keep_alive) append_field(out, "Connection", "keep-alive");
  if (version != 10 && !keep_alive) append_field(out, "Connection", "close");
  out += "\r\n";
}

} // namespace tmfd::http
