#include "topic_filter.hpp"

#include <string_view>

namespace tmfd::event {

namespace {

// Appends the non-empty '&'-separated parts of `query` to `out`, each behind `prefix`.
void append_parts(std::string& out, std::string_view query, std::string_view prefix) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!part.empty()) {
      if (!out.empty()) out += '&';
      out += prefix;
      out += part;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

std::string_view text_at(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

} // namespace

std::string topic_filter(const json::object& topic) {
  std::string out;
  append_parts(out, text_at(topic, "headerQuery"), "");
  append_parts(out, text_at(topic, "contentQuery"), "event.");
  return out;
}

} // namespace tmfd::event
