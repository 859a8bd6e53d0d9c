-- wrk: POST apply-credits of 1.00 USD, each with a new invoice id, spread over N customers.
-- wrk ... -s apply-unique.lua URL -- PREFIX CUSTOMERS KEY RUN
local sent = 0
local thread_count = 0

function setup(thread)
  thread_count = thread_count + 1
  thread:set("thread_id", thread_count)
end

function init(args)
  prefix, customers, key, run = args[1], tonumber(args[2]), args[3], args[4]
  headers = { ["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. key }
end

function request()
  sent = sent + 1
  -- A stride coprime with the customer count visits every customer evenly.
  local customer = prefix .. ((sent * 7919) % customers)
  local invoice = run .. "-" .. thread_id .. "-" .. sent
  return wrk.format("POST", "/v1/customers/" .. customer .. "/invoices/" .. invoice .. "/apply-credits", headers, '{"currency":"USD","total":"1.00"}')
end
