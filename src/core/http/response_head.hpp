#pragma once
// The status line and header block of a response, written as text in one reusable buffer. The
// transport sends it and the body with one gathered write: going through Beast's serializer
// (a field list allocated per header, then iterated buffer by buffer) was a visible share of the
// GET path in profiles, for a head that is a few lines of text.
#include <cstddef>
#include <string>

#include <tmfd/http.hpp>

namespace tmfd::http {

// Fills `out` with the head of `r` as Beast wrote it before: Server, Content-Type, the response's
// headers (a later header of the same name replaces an earlier one), Content-Length of
// `body_size` (none for 1xx, 204 and 304), and Connection when it differs from the version's
// default. Values are written as they are: the front only puts single-line values in headers.
void write_response_head(std::string& out, const Response& r, unsigned version, bool keep_alive,
                         std::size_t body_size);

} // namespace tmfd::http
