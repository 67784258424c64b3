# The audit log and data history (tag [audit]): REST and in-process changes (the stateful test
# plugin), the security module's principal (support/jwt_minter.cpp, from security.cmake).
target_sources(tmfd_integration_tests PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/integration/audit_history_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_security)
