#include "inline_content.hpp"

namespace tmfd::document {

namespace {

bool is_base64_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

} // namespace

std::optional<std::size_t> base64_decoded_size(std::string_view text) noexcept {
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') ++padding;
  const std::string_view data = text.substr(0, text.size() - padding);
  for (char c : data)
    if (!is_base64_char(c)) return std::nullopt;  // also a third '=' or one inside the text
  return text.size() / 4 * 3 - padding;
}

} // namespace tmfd::document
