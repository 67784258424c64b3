# Compiler warnings for every tmfd target, errors in CI (TMFD_WERROR), and the sanitizer build.
function(tmfd_apply_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(TMFD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(TMFD_FUZZ)
  # Coverage instrumentation for libFuzzer on everything; the fuzz targets link its driver.
  # clang 14 cannot emit UBSan's function-type check in coroutines ("Cannot represent a
  # difference across sections", in the hub dispatcher): that one check is left out.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=function
                      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(TMFD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
