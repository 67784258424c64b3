#pragma once
// UTF-8 well-formedness (RFC 3629): what may go into JSON text, SQL parameters and log lines.
#include <string>
#include <string_view>

namespace tmfd::utf8 {

// True when `s` is well-formed UTF-8: no overlong forms, surrogates or values past U+10FFFF.
// NUL bytes are refused too (C APIs cut text at them).
bool is_valid(std::string_view s) noexcept;

// `s` with every byte that is not part of a well-formed sequence (and every NUL) replaced by
// U+FFFD, so that text echoed from a client can always be serialized as valid JSON.
std::string repaired(std::string_view s);

} // namespace tmfd::utf8
