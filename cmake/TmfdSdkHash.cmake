# A hash of the SDK headers, baked into the build key of the kernel and of every plugin: a plugin
# compiled against other SDK headers is refused at load time instead of misbehaving. The service
# interfaces (src/interfaces) count: a provider and a user must agree on them.
file(GLOB_RECURSE TMFD_SDK_HEADERS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/core/include/tmfd/*.hpp
     ${CMAKE_SOURCE_DIR}/src/interfaces/include/tmfd/*.hpp)
list(SORT TMFD_SDK_HEADERS)
set(_tmfd_sdk_text "")
foreach(header IN LISTS TMFD_SDK_HEADERS)
  file(READ ${header} _content)
  string(APPEND _tmfd_sdk_text "${_content}")
endforeach()
string(SHA256 _tmfd_sdk_sha "${_tmfd_sdk_text}")
string(SUBSTRING "${_tmfd_sdk_sha}" 0 16 TMFD_SDK_HASH)
