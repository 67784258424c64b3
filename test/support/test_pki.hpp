#pragma once
// Certificates made at test time: a CA of the test's own and certificates it signs (servers'
// and clients'), written as PEM files, with the validity, names and key password a test needs.
// Made with OpenSSL's library rather than the openssl command, which cannot backdate a
// certificate (an expired one is needed).
#include <string>

namespace tmfd::test {

struct CertificateSpec {
  std::string name;                  // file names: DIR/NAME.pem and DIR/NAME.key
  std::string common_name = "tmfd-test";
  std::string subject_alt_names = "DNS:localhost,IP:127.0.0.1";  // "" for none
  long valid_from_seconds = -3600;   // relative to now
  long valid_until_seconds = 86400;
  std::string key_password;          // "": the key file is not encrypted
};

struct IssuedCertificate {
  std::string certificate_file;
  std::string key_file;
};

class TestCa {
public:
  // Makes the CA's key and self-signed certificate in `dir` (NAME.pem, NAME.key).
  TestCa(std::string dir, std::string name = "ca");
  ~TestCa();
  TestCa(const TestCa&) = delete;
  TestCa& operator=(const TestCa&) = delete;

  const std::string& certificate_file() const { return ca_file_; }
  // A certificate for servers and clients alike (both extended key usages), signed by this CA.
  IssuedCertificate issue(const CertificateSpec& spec) const;

private:
  struct Keys;
  std::string dir_;
  std::string ca_file_;
  Keys* keys_;
};

} // namespace tmfd::test
