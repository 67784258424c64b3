#pragma once
// Base64url without padding (RFC 7515 section 2), as JOSE writes every part of a token and JWK
// members. Decoding is strict: padding, whitespace or characters of the other alphabet are
// refused, so that one token has exactly one spelling (a cached token is keyed by its text).
#include <optional>
#include <string>
#include <string_view>

namespace tmfd::security {

// The bytes, or nullopt for anything that is not unpadded base64url.
std::optional<std::string> base64url_decode(std::string_view text);
std::string base64url_encode(std::string_view bytes);

} // namespace tmfd::security
