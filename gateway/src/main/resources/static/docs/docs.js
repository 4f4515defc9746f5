// Swagger UI on the gateway's own description of its API. "Try it out" sends requests to this gateway; a token
// goes in through the Authorize button, never into the address.
window.SwaggerUIBundle({ url: '/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true });
