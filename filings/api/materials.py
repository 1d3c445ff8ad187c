"""上传备案资料 through the API: what the order needs, what is uploaded, upload (multipart) and delete.

An upload goes through ``filings.materials.material_upload``: decoded, re-encoded and stored privately, or refused
with a 400 beside its field (``file``, ``kind``, ``person``, ``website``) and nothing stored. Files are served only
by the portal's pages, which check who may see them.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.errors import ApiError
from core.api.fields import IdField

from ..constants import MaterialKind
from ..materials import material_delete, material_upload, materials_of
from ..models import Material
from ..requirements import required_materials
from .orders import applicant_order
from .serializers import MaterialOutput

TAGS = ["materials"]


class RequirementOutput(serializers.Serializer):
    key = serializers.CharField(help_text="kind[.person.<id>|.website.<id>]: the pre-check's materials.<key>.")
    kind = serializers.ChoiceField(choices=MaterialKind.choices)
    label = serializers.CharField()
    why = serializers.CharField()
    required = serializers.BooleanField()
    person = serializers.IntegerField(source="person_id", allow_null=True)
    website = serializers.IntegerField(source="website_id", allow_null=True)
    count = serializers.IntegerField(help_text="How many files fill the slot.")
    uploaded = serializers.IntegerField()


class MaterialsOutput(serializers.Serializer):
    required = RequirementOutput(many=True)
    materials = MaterialOutput(many=True)


class MaterialListApi(APIView):
    schema_tags = TAGS

    @extend_schema(operation_id="orders_materials_list", responses=MaterialsOutput)
    def get(self, request, number):
        order = applicant_order(request, number)
        materials = list(materials_of(order))
        required = [
            {
                "key": r.key,
                "kind": r.kind,
                "label": str(r.label),
                "why": str(r.why),
                "required": r.required,
                "person_id": r.person_id,
                "website_id": r.website_id,
                "count": r.count,
                "uploaded": sum(1 for m in materials if r.matches(m)),
            }
            for r in required_materials(order)
        ]
        return Response(MaterialsOutput({"required": required, "materials": materials}).data)


class MaterialUploadApi(APIView):
    """One file (JPG, PNG or GIF, at most 4 MB) for a slot. A single-file slot's earlier file is replaced."""

    schema_tags = TAGS
    parser_classes = [MultiPartParser, FormParser]
    error_statuses = (409,)

    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=MaterialKind.choices)
        file = serializers.FileField(allow_empty_file=True, use_url=False)
        person = IdField(required=False, help_text="For ID documents and photos: a principal of the order.")
        website = IdField(required=False, help_text="For approvals and domain certificates: a website of the order.")

    @extend_schema(operation_id="orders_materials_upload", request=InputSerializer, responses={201: MaterialOutput})
    def post(self, request, number):
        order = applicant_order(request, number)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        material = material_upload(
            order_id=order.pk,
            actor=request.user,
            kind=data["kind"],
            uploaded_file=data["file"],
            person_id=data.get("person"),
            website_id=data.get("website"),
        )
        return Response(MaterialOutput(material).data, status=status.HTTP_201_CREATED)


class MaterialDeleteApi(APIView):
    schema_tags = TAGS
    error_statuses = (409,)

    @extend_schema(operation_id="orders_materials_delete", request=None, responses={204: None})
    def post(self, request, number, material_id):
        order = applicant_order(request, number)
        if not Material.objects.filter(pk=material_id, order=order).exists():
            raise ApiError("not_found", _("There is no such material on this order."), status_code=404)
        material_delete(material_id=material_id, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
