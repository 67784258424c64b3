// The response head the transport writes as text (what Beast's serializer wrote before).
#include <catch2/catch.hpp>

#include <string>

#include "http/response_head.hpp"

using namespace tmfd::http;

TEST_CASE("a response head has the status line, the fields, the length and the connection") {
  std::string out;
  Response r = Response::json(201, "{}");
  r.headers = {{"Location", "/x/1"}, {"ETag", "\"1\""}};
  write_response_head(out, r, 11, true, 2);
  CHECK(out == "HTTP/1.1 201 Created\r\nServer: tmfd\r\nContent-Type: application/json;charset=utf-8\r\n"
               "Location: /x/1\r\nETag: \"1\"\r\nContent-Length: 2\r\n\r\n");

  write_response_head(out, Response::json(404, "{}"), 11, false, 2);
  CHECK(out.ends_with("Content-Length: 2\r\nConnection: close\r\n\r\n"));
  write_response_head(out, Response::json(200, "{}"), 10, true, 2);
  CHECK(out.starts_with("HTTP/1.0 200 OK\r\n"));
  CHECK(out.ends_with("Connection: keep-alive\r\n\r\n"));
}

TEST_CASE("a response head has no length for 204, and a later field replaces an earlier one") {
  std::string out;
  Response r;
  r.status = 204;
  r.content_type.clear();
  r.headers = {{"Retry-After", "1"}, {"retry-after", "5"}};
  write_response_head(out, r, 11, true, 0);
  CHECK(out == "HTTP/1.1 204 No Content\r\nServer: tmfd\r\nretry-after: 5\r\n\r\n");
}
