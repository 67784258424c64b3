#include <tmfd/query.hpp>

#include <tmfd/error.hpp>

#include "delivery/event_filter.hpp"
#include "resource/ids_and_time.hpp"

namespace tmfd {

void check_filter_query(std::string_view filter, const std::string& attribute) {
  try {
    delivery::EventFilter::parse({filter});
  } catch (const ApiError& e) {
    throw ApiError::invalid_attribute(attribute, "is not a TMF630 attribute filter: " + e.detail());
  }
}

std::string percent_encode(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

std::string now_timestamp() { return resource::now_iso8601(); }

} // namespace tmfd
