-- The payload the ingest scripts send: an order of about 260 bytes whose ids change with n.

local ORDER = '{"order_id":"ord_%012d","customer":{"id":"cus_%08x","email":"buyer%d@example.com"},'
  .. '"items":[{"sku":"SKU-10042","quantity":2,"unit_price":"19.90"},'
  .. '{"sku":"SKU-20731","quantity":1,"unit_price":"4.50"}],"total":"44.30","currency":"EUR",'
  .. '"channel":"web"}'

function order_payload(n)
  return string.format(ORDER, n, n * 2654435761 % 4294967296, n % 100000)
end
