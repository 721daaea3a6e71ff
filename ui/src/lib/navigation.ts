// The context key under which the app's frame offers "go to Convocatorias" to screens
// deep inside a business, which the wizard between them need not pass along.
export const OPEN_TENDERS = Symbol("open-tenders");
