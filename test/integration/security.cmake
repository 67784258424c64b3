# The security module's integration tests (tag [security]): bearer tokens minted at test time with
# OpenSSL keys, an identity provider stand-in (support/document_server.cpp), access rules.
target_sources(tmfd_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/security_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/jwt_minter.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/support/document_server.cpp)
add_dependencies(tmfd_integration_tests tmfd_security tmfd_event)
