import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("account_dunning_aging_tour", {
    steps: () => [
        {
            content: "The dashboard lists the customer among the top debtors",
            trigger: ".o_field_widget[name='debtors_html'] a:contains('Aging Tour Customer')",
        },
        {
            content: "The overdue total is shown",
            trigger: ".o_field_widget[name='overdue_total']:contains('1,234.50')",
        },
        {
            content: "Open the aged balance",
            trigger: "button[name='action_open_aging']",
            run: "click",
        },
        {
            content: "The pivot has the customer in rows and the 31-60 range in columns",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('31-60'), .o_pivot th:contains('31-60')",
        },
        {
            content: "The customer's row",
            trigger: ".o_pivot th:contains('Aging Tour Customer')",
        },
        {
            content: "Drill down from the customer's total",
            trigger: ".o_pivot tbody tr:has(th:contains('Aging Tour Customer')) td.o_pivot_cell_value:last",
            run: "click",
        },
        {
            content: "The journal item behind the cell is listed",
            trigger: ".o_list_view .o_data_row:contains('Aging Tour Customer'):contains('1,234.50')",
        },
    ],
});
