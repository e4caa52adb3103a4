// Package filing owns filing orders and filed records: the twelve order types, the order state
// machine (one transition table), the rules that allow or refuse an order, what an order still needs
// before submission (fields, materials, verifications, agreements), uploaded materials, the filed
// subject and its services, stale-order reminders, and the SMS check round an order carries from its
// hand-over to the bureau. Every state change goes through OrderStore.Update with its events and
// notifications in one transaction.
package filing
