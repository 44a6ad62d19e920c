// The try page's own script: a file, not inline, so the page's CSP can allow only scripts from this service.
fetch('/api-docs/surfaces.json').then(r => r.json()).then(surfaces => {
  const list = document.getElementById('surfaces');
  surfaces.forEach(s => {
    const a = document.createElement('a');
    a.href = s.url;
    a.textContent = s.name;
    list.appendChild(a);
  });
  window.ui = SwaggerUIBundle({
    urls: surfaces.map(s => ({url: s.url, name: s.title})),
    dom_id: '#swagger-ui',
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
    persistAuthorization: true,
    // no badge from validator.swagger.io: the page talks only to this service
    validatorUrl: null
  });
});
