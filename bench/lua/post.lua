-- POST /tmf-api/party/v4/individual with a fixed body (the benchmark of creation).
-- The family name is not one of the seeded ones (F0..F999), so the filtered-list benchmark
-- (familyName=F42) sees the same 100 matches however many creations this run added.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"givenName":"Ada","familyName":"Bench","gender":"female","nationality":"GB",' ..
           '"birthDate":"1985-12-10T00:00:00Z","@type":"Individual"}'
