-- wrk: POST a small JSON body, like an apply request.
wrk.method = "POST"
wrk.body = '{"currency":"USD","total":"1.00"}'
wrk.headers["Content-Type"] = "application/json"
