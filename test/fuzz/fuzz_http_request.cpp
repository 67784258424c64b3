// Bytes to a connection of the real HTTP transport (Beast session, front, router, resource
// engine, SQLite store), as a client on another machine would send them. The input is one or
// more raw requests; the write side is then closed. Found bugs: the process dies (ASan, UBSan,
// an escaped exception), a handler exception is caught by the io loop, the server neither
// answers nor closes, a 500, or an error body that is not the TMF error JSON.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "fuzz_stack.hpp"
#include "io/run_guarded.hpp"

using namespace tmfd;

namespace {

unsigned short server_port() {
  static fuzz::Stack stack;
  static unsigned short port = stack.serve_http();
  return port;
}

int connect_to(unsigned short port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  // The server usually closes first, so each connection leaves its address pair in TIME_WAIT for
  // a minute, and that pair's local port cannot connect to the server again meanwhile. From one
  // address, the 28,000 local ports ran out after about 22,000 inputs (15 s on a fast machine).
  // Each input comes from the next of 250 loopback addresses (127.0.1.1 to 127.0.1.250, all of
  // 127/8 is the loopback), which gives 250 times as many pairs.
  static unsigned next_source = 0;
  sockaddr_in source{};
  source.sin_family = AF_INET;
  source.sin_addr.s_addr = htonl(0x7F000100u + 1 + next_source++ % 250);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&source), sizeof source) != 0)
    fuzz::fail_input(std::string("cannot bind a loopback source address: ") + std::strerror(errno), "");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    // libFuzzer's timer signal can interrupt connect(); the connection then goes on by itself.
    if (errno != EINTR) fuzz::fail_input(std::string("cannot connect: ") + std::strerror(errno), "");
    pollfd ready{fd, POLLOUT, 0};
    while (::poll(&ready, 1, 5000) < 0 && errno == EINTR) {
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (!(ready.revents & POLLOUT) || error != 0)
      fuzz::fail_input(std::string("cannot connect: ") + std::strerror(error ? error : ETIMEDOUT), "");
  }
  timeval timeout{5, 0};  // the server closes at once when our side is closed; 5 s is a hang
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return fd;
}

// Checks each response in what the server sent back. A HEAD's response has a Content-Length and
// no body: when the bytes after a head start another response, none is taken as its body.
void check_responses(std::string_view all) {
  while (!all.empty()) {
    if (!all.starts_with("HTTP/1.1 ") && !all.starts_with("HTTP/1.0 ")) fuzz::fail_input("not an HTTP response", std::string(all));
    auto head_end = all.find("\r\n\r\n");
    if (head_end == std::string_view::npos) fuzz::fail_input("response head not terminated", std::string(all));
    auto head = all.substr(0, head_end + 2);
    int status = std::atoi(std::string(head.substr(9, 3)).c_str());
    std::string content_type;
    std::size_t length = 0;
    for (std::size_t pos = head.find("\r\n") + 2; pos < head.size();) {
      auto eol = head.find("\r\n", pos);
      auto line = head.substr(pos, eol - pos);
      auto colon = line.find(':');
      auto name = line.substr(0, colon);
      auto value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 2);
      if (name == "Content-Length") length = std::stoul(std::string(value));
      if (name == "Content-Type") content_type = std::string(value);
      pos = eol + 2;
    }
    all.remove_prefix(head_end + 4);
    // The answer to a HEAD: a length, and no body after it (the next response, or the end).
    const bool head_answer =
        length > 0 && (length > all.size() || all.starts_with("HTTP/1.1 ") || all.starts_with("HTTP/1.0 "));
    if (head_answer) {
      fuzz::check_response(status, "", "");
      continue;
    }
    fuzz::check_response(status, content_type, std::string(all.substr(0, length)));
    all.remove_prefix(length);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  int fd = connect_to(server_port());
  for (std::size_t sent = 0; sent < size;) {
    auto n = ::send(fd, data + sent, size - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the server may close early (a refused request): fine
    sent += static_cast<std::size_t>(n);
  }
  ::shutdown(fd, SHUT_WR);
  std::string received;
  char buf[65536];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n == 0) break;
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) fuzz::fail_input("the server neither answered nor closed", received);
      break;  // reset by the server after a refusal
    }
    received.append(buf, static_cast<std::size_t>(n));
  }
  // Reset rather than close: the side that closes first keeps TIME_WAIT, and a fuzzer opening
  // thousands of connections a minute would run out of local ports.
  linger reset{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  ::close(fd);
  if (io::handler_exceptions() != 0) fuzz::fail_input("an exception escaped a handler", received);
  check_responses(received);
  return 0;
}
