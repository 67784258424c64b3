# The TMF621 Trouble Ticket and TMF667 Document modules' integration tests (tags [trouble-ticket]
# and [document]), against the real binary with the module enabled. The hub tests use the
# callback receiver that test/CMakeLists.txt adds to the test support library.
target_sources(tmfd_integration_tests PRIVATE
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/trouble_ticket_test.cpp
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/document_test.cpp)
add_dependencies(tmfd_integration_tests tmfd_trouble_ticket tmfd_document)
