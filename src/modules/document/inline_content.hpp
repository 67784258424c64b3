#pragma once
// Attachments given by value carry their bytes as base64 text (`content`); this checks that text
// and measures what it decodes to without decoding it.
#include <optional>
#include <string_view>

namespace tmfd::document {

// The decoded size of `text` if it is standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /,
// padded with '=' to a multiple of four characters), nullopt otherwise.
std::optional<std::size_t> base64_decoded_size(std::string_view text) noexcept;

} // namespace tmfd::document
