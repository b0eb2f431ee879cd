// Stands in for `electron` under vitest: the Node core must never import it.
throw new Error('electron imported outside electron/main or electron/preload');
