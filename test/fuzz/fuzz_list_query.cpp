// A TMF630 list query string (filters, paging, fields, sort) through the parser, the SQL it is
// turned into and SQLite, on a store holding resources of the fuzz kind, both in-process and
// through the front (GET on the collection and on one resource). Bad syntax is a 400; any other
// failure (a SQLite error, a 500) is a bug.
#include <cstdint>
#include <string>

#include <tmfd/error.hpp>

#include "fuzz_stack.hpp"

using namespace tmfd;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::Stack stack;
  const std::string query(reinterpret_cast<const char*>(data), size);
  try {
    stack.list(query);
  } catch (const ApiError& e) {
    if (e.http_status() != 400) fuzz::fail_input("query refused with a non-400 status", e.body());
  } catch (const std::exception& e) {
    fuzz::fail_input(std::string("query failed: ") + e.what(), query);
  }
  for (std::string path : {std::string(fuzz::kCollection), std::string(fuzz::kCollection) + "/" + fuzz::kStoredId}) {
    http::Request req;
    req.method = http::Method::Get;
    req.path = path;
    req.query = query;
    auto r = stack.handle(std::move(req));
    fuzz::check_response(r.status, r.content_type, r.body);
  }
  return 0;
}
